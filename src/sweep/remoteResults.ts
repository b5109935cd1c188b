// Remote result folders. A kernel on a remote server cannot write into the local
// result_<idx>/, so there __CONFIG_DST_DIR__ and get_result_dir() name a scratch folder on
// the kernel's side (--remote_dir, default run-notebook-scratch/<sweep id> under the
// kernel's working directory). After the last cell, pass or fail, its files are copied
// into result_<idx>/ (copyBack.ts), through the server's contents API where it serves the
// folder, else through the kernel channel; then the scratch folder is deleted. A failed
// copy is recorded in run.json and told on the console; it never fails the run.
// `--artifacts none` (or a server's `artifacts: none`) is for shared storage: the kernel
// writes into --dst_dir itself, as on the embedded server.
import { randomBytes } from 'node:crypto';
import { basename, posix } from 'node:path';
import { configFileText, type PlannedConfig } from '../config/index.js';
import { callScratch, contentsFolder, contentsServes, defineScratchModule, kernelFolder, type JupyterServer, type KernelSession, type RemoteFolder } from '../jupyter/index.js';
import { errorMessage } from '../errors.js';
import type { RunLayout } from '../results/layout.js';
import type { RemoteFolderRecord } from '../results/runRecord.js';
import { copyBack, COPY_LIMITS, type CopyLimits, type CopyResult } from './copyBack.js';
import type { EventSink } from './events.js';

export const ARTIFACTS_MODES = ['copy', 'kernel', 'none'] as const;
/** copy: contents API where it serves the folder, else the kernel channel; kernel: always the kernel channel; none: shared storage. */
export type ArtifactsMode = (typeof ARTIFACTS_MODES)[number];

/** Not a dot-folder: jupyter_server's contents API refuses hidden paths by default. */
export const SCRATCH_BASE = 'run-notebook-scratch';

export function newSweepId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
}

export interface RemoteResultsOptions {
  remoteDir?: string;
  artifacts?: ArtifactsMode;
  /** --cwd: on a remote server, the kernel's working directory relative to the server's root. */
  cwd?: string;
}

/** The names the runner writes in a run folder itself: never overwritten by a copied file. */
export function runnerFileNames(layout: RunLayout, files: { notebook?: string; html?: string }): Set<string> {
  const own = [layout.notebook, layout.html, layout.configJson, layout.configTxt, layout.runJson, layout.log, layout.success].map((p) => basename(p));
  return new Set([...own, ...[files.notebook, files.html].filter((f): f is string => !!f)]);
}

/** One sweep's remote result folders. */
export class RemoteResults {
  /** The kernel-side stand-in for --dst_dir: relative to the kernel's working directory, or absolute. */
  readonly dstDir: string;
  /** Parent folders deleted after a run when left empty: <sweep id> and run-notebook-scratch for the default. */
  private readonly parentLevels: number;
  private warnedLanguage = false;

  constructor(
    private readonly opts: RemoteResultsOptions,
    private readonly language: string,
    private readonly emit: EventSink,
    sweepId = newSweepId(),
    readonly limits: CopyLimits = COPY_LIMITS,
  ) {
    this.dstDir = opts.remoteDir ?? posix.join(SCRATCH_BASE, sweepId);
    this.parentLevels = opts.remoteDir ? 0 : 2;
  }

  /** How a run on `server` brings its files back; undefined when the kernel writes into --dst_dir itself. */
  mode(server: JupyterServer): Exclude<ArtifactsMode, 'none'> | undefined {
    if (server.kernelspecDir) return undefined;
    const mode = server.artifacts ?? this.opts.artifacts ?? 'copy';
    if (mode === 'none') return undefined;
    if (this.language.toLowerCase() !== 'python') {
      if (!this.warnedLanguage) {
        this.warnedLanguage = true;
        this.emit({ type: 'warning', message: `remote result folders need a Python kernel: files a ${this.language} kernel writes on ${server.label} stay there (use --artifacts none with shared storage)` });
      }
      return undefined;
    }
    return mode;
  }

  /** __CONFIG_DST_DIR__ and __NOTEBOOK_CONFIG_PATH__ for a run on `server`, or undefined to keep the local ones. */
  kernelPaths(server: JupyterServer, index: number): { dstDir: string; configPath: string } | undefined {
    if (!this.mode(server)) return undefined;
    return { dstDir: this.dstDir, configPath: posix.join(this.dstDir, `result_${index}`, 'config.json') };
  }

  /**
   * Before the first cell: creates the run's scratch folder on the kernel's side, writes its
   * config.json and makes the path variables absolute. Never throws: a failure is recorded.
   */
  async open(session: KernelSession, config: PlannedConfig): Promise<ScratchFolder | undefined> {
    const mode = this.mode(session.server);
    if (!mode) return undefined;
    const rel = posix.join(this.dstDir, `result_${config.index}`);
    try {
      await defineScratchModule(session);
      const { dir } = await callScratch<{ dir: string }>(session, 'prepare', [this.dstDir, config.index, configFileText(config, 1) + '\n']);
      return new ScratchFolder(this, session, mode, dir, this.contentsPath(rel), this.parentLevels, config.index);
    } catch (err) {
      return new ScratchFolder(this, session, mode, rel, undefined, this.parentLevels, config.index, `could not create the scratch folder: ${errorMessage(err)}`);
    }
  }

  /** The folder's path under the server's root, when it has one (relative --remote_dir and --cwd). */
  private contentsPath(rel: string): string | undefined {
    const cwd = this.opts.cwd ?? '';
    if (posix.isAbsolute(rel) || posix.isAbsolute(cwd)) return undefined;
    return posix.join(cwd, rel);
  }

  /** One console line when a copy did not go as planned (the details are in run.json). */
  report(index: number, rec: RemoteFolderRecord): void {
    const problems = [
      rec.error,
      rec.failed?.length ? `${rec.failed.length} file(s) failed (${rec.failed[0]!.path}: ${rec.failed[0]!.error})` : undefined,
      rec.conflicts?.length ? `not overwriting the runner's ${rec.conflicts.join(', ')}` : undefined,
      rec.skipped?.length ? `${rec.skipped.length} skipped (${rec.skipped[0]!.path}: ${rec.skipped[0]!.why})` : undefined,
      rec.removed ? undefined : `scratch folder ${rec.dir} left on the server`,
    ].filter(Boolean);
    if (problems.length) this.emit({ type: 'warning', message: `result_${index}: remote result folder: ${problems.join('; ')} (see run.json)` });
  }
}

/** One attempt's scratch folder on the kernel's side. */
export class ScratchFolder {
  constructor(
    private readonly owner: RemoteResults,
    private readonly session: KernelSession,
    private readonly mode: 'copy' | 'kernel',
    /** Absolute on the kernel's machine once created. */
    readonly dir: string,
    private readonly contentsPath: string | undefined,
    private readonly parentLevels: number,
    private readonly index: number,
    private readonly openError?: string,
  ) {}

  /** After the last cell: copies the folder into the run's local folder, then deletes it. Never throws. */
  async collect(layout: RunLayout, runnerFiles: ReadonlySet<string>): Promise<RemoteFolderRecord> {
    const t0 = Date.now();
    const server = this.session.server;
    const viaContents = this.mode === 'copy' && !server.isGateway && this.contentsPath !== undefined && (await contentsServes(server, this.contentsPath));
    const folder: RemoteFolder = viaContents ? contentsFolder(server, this.contentsPath!) : kernelFolder(this.session, this.dir);
    const rec: RemoteFolderRecord = { route: folder.route, dir: this.dir, copied: 0, bytes: 0, seconds: 0, removed: false };
    if (this.openError && !viaContents) rec.error = this.openError;
    else if (!viaContents && this.session.isLost) rec.error = 'the kernel is gone and the server serves no contents API for the folder';
    else {
      try {
        let listed: string[] = [];
        const tracked: RemoteFolder = {
          ...folder,
          list: async (max) => {
            const l = await folder.list(max);
            listed = [...l.files, ...l.skipped].map((f) => f.path);
            return l;
          },
        };
        Object.assign(rec, await copyBack(tracked, layout.dir, runnerFiles, this.owner.limits));
        // The contents API hides dotfiles; the kernel, while it lives, brings what it left out.
        if (viaContents && !this.session.isLost) this.mergeKernelPass(rec, await this.kernelPass(listed, rec, layout, runnerFiles));
      } catch (err) {
        rec.error = `copy failed: ${errorMessage(err)}`;
      }
    }
    rec.seconds = (Date.now() - t0) / 1000;
    rec.removed = await this.remove(folder);
    this.owner.report(this.index, rec);
    return rec;
  }

  private async kernelPass(listed: string[], done: RemoteFolderRecord, layout: RunLayout, runnerFiles: ReadonlySet<string>): Promise<CopyResult> {
    const limits = this.owner.limits;
    const rest = { ...limits, maxFiles: Math.max(0, limits.maxFiles - done.copied), maxBytes: Math.max(0, limits.maxBytes - done.bytes) };
    return copyBack(kernelFolder(this.session, this.dir, listed), layout.dir, runnerFiles, rest);
  }

  private mergeKernelPass(rec: RemoteFolderRecord, more: CopyResult): void {
    if (!more.copied && !more.unchanged && !more.conflicts && !more.skipped && !more.failed) return;
    rec.copied += more.copied;
    rec.bytes += more.bytes;
    const cat = <T>(a: T[] | undefined, b: T[] | undefined) => (a || b ? [...(a ?? []), ...(b ?? [])] : undefined);
    rec.unchanged = cat(rec.unchanged, more.unchanged);
    rec.conflicts = cat(rec.conflicts, more.conflicts);
    rec.skipped = cat(rec.skipped, more.skipped);
    rec.failed = cat(rec.failed, more.failed);
    rec.byKernel = more.copied;
  }

  /** Through the kernel while it lives (a real delete, empty parents too), else through the contents API. */
  private async remove(folder: RemoteFolder): Promise<boolean> {
    const byKernel = !this.session.isLost && !this.openError ? kernelFolder(this.session, this.dir) : folder.route === 'contents' ? folder : undefined;
    try {
      return byKernel ? await byKernel.remove(this.parentLevels) : false;
    } catch {
      return false;
    }
  }
}

// The warm-kernel template process (python/warm/template.py): started once per sweep in
// the kernel's interpreter, it imports ipykernel and the notebook's modules, then forks
// one kernel per launcher that connects to its unix socket. This module starts it,
// waits for its one-line "ready", builds the launcher argv for private kernelspecs and
// stops it on every exit path (and the template also dies with the runner by itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../errors.js';
import type { OwnedProcesses } from '../processes.js';

const PY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'python', 'warm');
export const TEMPLATE_PY = join(PY_DIR, 'template.py');
export const LAUNCH_PY = join(PY_DIR, 'launch.py');

/** Why a sweep runs cold after all: a one-line reason. */
export class WarmUnavailable extends Error {}

/** --warm_prefix: what one prefix cell left (nbformat outputs, as the template collected them). */
export interface PrefixResult {
  outputs: Record<string, unknown>[];
  execution_count: number;
}

/** A cell above the parameters cell failed in the template: the sweep stops before any run (exit 1). */
export class WarmPrefixFailed extends UserError {
  constructor(
    message: string,
    readonly cell: number,
    readonly outputs: Record<string, unknown>[],
  ) {
    super(message, { exitCode: 1 });
  }
}

export interface TemplateOptions {
  /** The interpreter, resolved to a path, and its options before `-m` in the kernel's argv. */
  python: string;
  pythonOptions: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Module names to import, or code cell sources whose top-level imports the template finds itself. */
  imports: { names: string[] } | { scan: string[] };
  timeoutMs: number;
  onLog?: (line: string) => void;
  /** The run_notebook module's source file: the template makes the module once, so each fork's preamble need not. */
  helper?: string;
  /** --warm_prefix: code cells run once in the template. */
  prefix?: { sources: readonly string[] };
  /** The pool's registry: the template is killed with its kernels on an emergency exit. */
  processes?: OwnedProcesses;
}

export class WarmTemplate {
  private coldOffset = 0;
  private readonly coldSeen = new Set<string>();
  private stopped = false;
  private forget?: () => void;

  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly socketPath: string,
    readonly imported: string[],
    readonly skipped: string[],
    /** --warm_prefix: one entry per prefix cell. */
    readonly prefix: PrefixResult[] | undefined,
    private readonly exited: Promise<void>,
    processes: OwnedProcesses | undefined,
  ) {
    this.forget = processes?.addSession(this);
  }

  static async start(opts: TemplateOptions): Promise<WarmTemplate> {
    // macOS has fork(), but forking after imports that touch its system frameworks is unsafe.
    if (process.platform !== 'linux') throw new WarmUnavailable(`warm kernels are Linux only (this is ${process.platform})`);
    const dir = mkdtempSync(join(tmpdir(), 'run-notebook-warm-'));
    const socketPath = join(dir, 't.sock');
    const args = [...opts.pythonOptions, TEMPLATE_PY, '--socket', socketPath, '--cwd', opts.cwd, '--parent', String(process.pid)];
    if ('scan' in opts.imports) {
      const scan = join(dir, 'cells.json');
      writeFileSync(scan, JSON.stringify(opts.imports.scan));
      args.push('--scan', scan);
    } else {
      args.push('--imports', opts.imports.names.join(','));
    }
    if (opts.helper) args.push('--helper', opts.helper);
    if (opts.prefix) {
      const file = join(dir, 'prefix.json');
      writeFileSync(file, JSON.stringify(opts.prefix.sources));
      args.push('--prefix', file);
    }
    let child: ChildProcess;
    try {
      // Its own process group, so a kill takes it alone: its kernels are session leaders.
      child = spawn(opts.python, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new WarmUnavailable(`cannot start ${opts.python}: ${(err as Error).message}`);
    }
    const exited = new Promise<void>((res) => {
      child.on('exit', () => res());
      child.on('error', () => res());
    });
    const stderrTail: string[] = [];
    child.stderr!.on('data', (buf: Buffer) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        opts.onLog?.(line);
      }
    });
    let out = '';
    const ready = new Promise<Record<string, unknown>>((res, rej) => {
      child.stdout!.on('data', (buf: Buffer) => {
        out += buf.toString('utf8');
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        try {
          res(JSON.parse(out.slice(0, nl)) as Record<string, unknown>);
        } catch {
          rej(new WarmUnavailable(`the template said something unexpected: ${out.slice(0, 200)}`));
        }
      });
      child.on('error', (err) => rej(new WarmUnavailable(`cannot start ${opts.python}: ${err.message}`)));
      void exited.then(() => rej(new WarmUnavailable(`the template exited during start-up: ${stderrTail.slice(-3).join(' | ') || 'no output'}`)));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new WarmUnavailable(`the template did not start within ${opts.timeoutMs / 1000}s`)), opts.timeoutMs);
    });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      rmSync(dir, { recursive: true, force: true });
    };
    let said: Record<string, unknown>;
    try {
      said = await Promise.race([ready, timeout]);
    } catch (err) {
      kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (said.ok !== true) {
      kill();
      const failed = said.prefix_failed as { cell: number; error: string; outputs: Record<string, unknown>[] } | undefined;
      if (failed) {
        throw new WarmPrefixFailed(`cell ${failed.cell + 1} above the parameters cell failed (run once for the sweep by --warm_prefix): ${failed.error}; no run started`, failed.cell, failed.outputs);
      }
      throw new WarmUnavailable(String(said.reason ?? 'the template refused'));
    }
    child.stdout!.resume();
    return new WarmTemplate(child, dir, socketPath, (said.imported as string[]) ?? [], (said.skipped as string[]) ?? [], (said.prefix as PrefixResult[] | null) ?? undefined, exited, opts.processes);
  }

  /** The argv of a private kernelspec whose "kernel" is a launcher asking this template for a fork of `base`. */
  launcherArgv(base: string[]): string[] {
    return [base[0]!, '-I', '-S', LAUNCH_PY, this.socketPath, '--', ...base];
  }

  /** Reasons launchers gave for starting a kernel cold, each reason once. */
  takeColdReasons(): string[] {
    const file = join(this.dir, 'cold.log');
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return [];
    }
    if (size <= this.coldOffset) return [];
    const buf = Buffer.alloc(size - this.coldOffset);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.coldOffset);
    } finally {
      closeSync(fd);
    }
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    this.coldOffset += Buffer.byteLength(text.slice(0, complete));
    const fresh = text.slice(0, complete).split('\n').filter((l) => l && !this.coldSeen.has(l));
    for (const l of fresh) this.coldSeen.add(l);
    return [...new Set(fresh)];
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  killSync(): void {
    if (this.running) {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }

  /** Stops the template (its kernels are shut down through the server before); idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.running) {
      try {
        process.kill(-this.child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([this.exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 3000)))]);
      clearTimeout(timer);
      if (late) this.killSync();
    }
    this.forget?.();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

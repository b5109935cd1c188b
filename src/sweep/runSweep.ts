// The sweep: plan the configs, decide what to run, run it with bounded parallelism,
// retries and abort, survive Ctrl-C, and leave a summary behind.
import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configFingerprintPart, selectIndices, type ConfigPlan, type PlannedConfig } from '../config/index.js';
import { KernelPrefetch, killEverythingSync, redactUrl, resolveKernelSpec, settleShutdowns, type ServerPool } from '../jupyter/index.js';
import { notebookSourceDigest, readNotebook } from '../notebook/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { EventSink, RunStatus } from './events.js';
import { runFingerprint } from './fingerprint.js';
import { RunLayout, SWEEP_FILES, notebookStem } from './layout.js';
import { acquireLock } from './lock.js';
import type { SweepOptions } from './options.js';
import { makePlan, needsKernelToPlan } from './plan.js';
import { runConfig, startRunKernel, type RunContext } from './runConfig.js';
import { readRunRecord } from './runRecord.js';
import { openServerPool } from './servers.js';
import { SummaryWriter } from './summary.js';
import { join } from 'node:path';

export type PlanState = 'new' | 'done' | 'stale';

export interface PlannedRun {
  config: PlannedConfig;
  fingerprint: string;
  state: PlanState;
}

export interface SweepResult {
  exitCode: number;
  counts: Record<RunStatus | 'skipped', number>;
  plan: PlannedRun[];
  indexHtml?: string;
}

const VERSION = '0.1.0';

export async function runSweep(opts: SweepOptions, emit: EventSink): Promise<SweepResult> {
  const notebookPath = resolve(opts.notebook);
  const source = await readNotebook(notebookPath);
  const notebookDir = dirname(notebookPath);
  const stem = notebookStem(notebookPath);
  const dstDir = resolve(opts.dstDir);
  const options: SweepOptions = { ...opts, dstDir };

  const lock = opts.dryRun ? undefined : acquireLock(dstDir, (message) => emit({ type: 'warning', message }));
  let pool: ServerPool | undefined;
  let prefetch: KernelPrefetch<number> | undefined;
  const stop = new AbortController();
  // Every running cell listens on this signal: as many listeners as threads.
  setMaxListeners(0, stop.signal);
  const signals = installSignalHandlers(stop, lock?.release);
  try {
    const needServer = !opts.dryRun || needsKernelToPlan(opts.configBuilder);
    if (needServer) pool = await openServerPool(opts);
    const wantedKernel = opts.kernel ?? source.metadata.kernelspec?.name;
    const spec = pool ? await resolveKernelSpec(pool.primary, wantedKernel) : undefined;
    const kernelName = spec?.name ?? wantedKernel ?? 'python3';
    const language = spec?.language ?? source.metadata.kernelspec?.language ?? source.metadata.language_info?.name ?? 'python';

    const plan = await makePlan(opts.configBuilder, { notebookDir, title: opts.title, pool, kernelName, language, startTimeoutSec: opts.startTimeoutSec, signal: stop.signal });
    const selected = new Set(selectIndices(plan, { index: opts.index, startFromIndex: opts.startFromIndex, sample: opts.sample, seed: opts.seed }));
    const digest = notebookSourceDigest(source);
    const runs: PlannedRun[] = plan.configs
      .filter((c) => selected.has(c.index))
      .map((config) => {
        const fingerprint = runFingerprint({ notebookDigest: digest, config: configFingerprintPart(config), builder: plan.builder, kernel: kernelName });
        return { config, fingerprint, state: previousState(new RunLayout(dstDir, config.index, stem), fingerprint) };
      });
    if (opts.dryRun) return { exitCode: 0, counts: zeroCounts(), plan: runs };

    const toRun = runs.filter((r) => !(opts.incremental && r.state === 'done'));
    const upToDate = runs.length - toRun.length;
    const threads = effectiveThreads(opts, toRun.length);
    const startedAt = new Date().toISOString();
    const manifest = {
      tool: `run-notebook ${VERSION}`,
      notebook: notebookPath,
      notebook_digest: digest,
      builder: plan.builder,
      builder_kind: plan.kind,
      title: plan.title,
      configs: plan.configs.length,
      selected: [...selected].sort((a, b) => a - b),
      options: redactOptions(options),
      kernel: kernelName,
      servers: pool!.servers.map((s) => ({ url: s.label, version: s.version })),
      started_at: startedAt,
      ended_at: null as string | null,
    };
    await writeFileAtomic(join(dstDir, SWEEP_FILES.manifest), JSON.stringify(manifest, null, 1) + '\n');
    emit({ type: 'sweep-start', total: plan.configs.length, toRun: toRun.length, upToDate, threads });

    const thisRun = new Map<number, string>(runs.map((r) => [r.config.index, opts.incremental && r.state === 'done' ? 'up_to_date' : r.state === 'stale' ? 'stale' : 'ran']));
    const summary = new SummaryWriter(plan, dstDir, stem, thisRun, { title: plan.title ? `${stem} · ${plan.title}` : stem, notebook: notebookPath, startedAt, endedAt: null });
    await summary.start();
    const observed: EventSink = (e) => {
      if (e.type === 'run-start' && e.attempt === 1) summary.runStarted(e.index);
      else if (e.type === 'run-end') summary.runEnded(e.index);
      emit(e);
    };
    const ctx: RunContext = { opts: options, pool: pool!, source, notebookDir, notebookStem: stem, kernelName, language, plan, emit: observed, stop };
    // With --resources a kernel's devices depend on the slot its run gets, unknown ahead.
    if (!opts.resources?.length) {
      const byIndex = new Map(toRun.map((r) => [r.config.index, r.config]));
      prefetch = ctx.prefetch = new KernelPrefetch(
        toRun.map((r) => r.config.index),
        threads,
        (index) => startRunKernel(ctx, byIndex.get(index)!, {}),
      );
    }
    const slots = new SlotPool(threads, opts.resources);
    const limit = pLimit(threads);
    const counts = zeroCounts();
    counts.skipped = upToDate;
    // A run holds its slot while a kernel works for it. Its notebook, HTML and records
    // are written after the slot passes on; the summary waits for all of them.
    const writing: Promise<unknown>[] = [];
    let fatal: unknown;
    await Promise.all(
      toRun.map((r) =>
        limit(async () => {
          if (stop.signal.aborted) {
            thisRun.set(r.config.index, 'not_started');
            return;
          }
          const slot = slots.take();
          let executed!: () => void;
          const slotFree = new Promise<void>((res) => (executed = res));
          let given = false;
          const giveBack = () => {
            if (given) return;
            given = true;
            slots.give(slot);
            executed();
          };
          const done = runConfig(ctx, r.config, r.fingerprint, slot.env, (status) => {
            // Decided before the slot passes on, so no further run starts after a failure.
            if (status === 'failed' && opts.abortOnError && !stop.signal.aborted) stop.abort('aborted');
            giveBack();
          }).then(
            (rec) => {
              counts[rec.status]++;
            },
            (err: unknown) => {
              // A run that cannot be recorded (disk full, unwritable dst_dir) stops the sweep:
              // the others are interrupted and saved, the summary is attempted, the error is reported.
              fatal ??= err;
              if (!stop.signal.aborted) stop.abort('fatal');
            },
          );
          const written = done.finally(giveBack);
          written.catch(() => undefined); // awaited below; this keeps an early exit from leaving it unhandled
          writing.push(written);
          await Promise.race([slotFree, done]);
        }),
      ),
    );
    await Promise.all(writing);

    await prefetch?.close();
    await settleShutdowns();
    const endedAt = new Date().toISOString();
    manifest.ended_at = endedAt;
    await writeFileAtomic(join(dstDir, SWEEP_FILES.manifest), JSON.stringify(manifest, null, 1) + '\n');
    const indexHtml = await summary.finish(endedAt).catch((err: unknown) => {
      fatal ??= err;
      return undefined;
    });
    if (fatal) throw fatal;
    const interrupted = signals.interrupted;
    emit({ type: 'sweep-end', counts, indexHtml, interrupted });
    const exitCode = interrupted ? 130 : counts.failed + counts.aborted > 0 ? 1 : 0;
    return { exitCode, counts, plan: runs, indexHtml };
  } finally {
    await prefetch?.close();
    await settleShutdowns();
    await pool?.stopAll();
    // Only now: a Ctrl-C while kernels and the server shut down must still be ours.
    signals.dispose();
    lock?.release();
  }
}

function previousState(layout: RunLayout, fingerprint: string): PlanState {
  const rec = readRunRecord(layout.runJson);
  if (!rec) return 'new';
  if (rec.fingerprint !== fingerprint) return 'stale';
  return rec.status === 'success' && existsSync(layout.success) ? 'done' : 'new';
}

function effectiveThreads(opts: SweepOptions, runs: number): number {
  let n = opts.numThreads;
  if (opts.resources?.length) n = Math.min(n, opts.resources.length);
  return Math.max(1, Math.min(n, Math.max(1, runs)));
}

function zeroCounts(): Record<RunStatus | 'skipped', number> {
  return { success: 0, failed: 0, aborted: 0, interrupted: 0, skipped: 0 };
}

function redactOptions(o: SweepOptions): Record<string, unknown> {
  const { token, cellRules, ...rest } = o;
  void cellRules;
  // A URL may carry a token (?token=) or a password: neither goes into a file.
  return { ...rest, serverUrl: rest.serverUrl && redactUrl(rest.serverUrl), token: token ? '***' : undefined };
}

/** Worker slots, each with its share of --resources as CUDA_VISIBLE_DEVICES. */
class SlotPool {
  private free: { id: number; env: Record<string, string> }[];
  constructor(threads: number, resources?: string[][]) {
    this.free = Array.from({ length: threads }, (_, id) => ({
      id,
      env: (resources?.length ? { CUDA_VISIBLE_DEVICES: resources[id % resources.length]!.join(',') } : {}) as Record<string, string>,
    }));
  }
  take() {
    const s = this.free.shift();
    if (!s) throw new Error('more runs than slots: the parallel limit was not respected');
    return s;
  }
  give(s: { id: number; env: Record<string, string> }) {
    this.free.push(s);
    this.free.sort((a, b) => a.id - b.id);
  }
}

/**
 * First SIGINT/SIGTERM/SIGHUP: stop starting runs, interrupt running kernels (runConfig
 * saves partial notebooks and marks them interrupted), write the summary, exit 130.
 * Second: kill kernels and the embedded server now, exit 130.
 */
function installSignalHandlers(stop: AbortController, releaseLock?: () => void) {
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      process.stderr.write('\nstopping: interrupting running notebooks (press Ctrl-C again to quit at once)\n');
      if (!stop.signal.aborted) stop.abort('interrupted');
      return;
    }
    killEverythingSync();
    releaseLock?.();
    process.exit(130);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const sig of signals) process.on(sig, onSignal);
  process.on('exit', killEverythingSync);
  return {
    /** A signal arrived (even after --abort_on_error had already stopped the sweep). */
    get interrupted() {
      return count > 0;
    },
    dispose() {
      for (const sig of signals) process.off(sig, onSignal);
      process.off('exit', killEverythingSync);
    },
  };
}

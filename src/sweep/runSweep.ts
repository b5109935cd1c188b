// The sweep: prepare (kernel, plan, selection, fingerprints), write the manifest, schedule
// the runs with bounded parallelism, retries and abort, and leave a summary behind. The
// caller owns the server pool and the interrupt signal (the CLI's Ctrl-C handling).
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackgroundShutdowns, NoUsableServerError, type ServerLostError, type ServerPool } from '../jupyter/index.js';
import { JupyterError, errorMessage } from '../errors.js';
import type { ThisRun } from '../status.js';
import { SWEEP_FILES } from '../results/layout.js';
import type { EventSink } from './events.js';
import { EventLog } from '../results/events.js';
import { loggedSink } from './eventLog.js';
import { acquireLock } from './lock.js';
import { sweepManifest, writeManifest } from './manifest.js';
import { openNotebookTarget } from './notebookTarget.js';
import type { SweepOptions } from './options.js';
import { needsKernelToPlan } from './plan.js';
import { prepareSweep, type PlannedRun, type PreparedSweep } from './prepare.js';
import type { RunContext } from './runConfig.js';
import { scheduleRuns, zeroCounts, type RunCounts } from './schedule.js';
import { SummaryWriter } from './summary.js';
import type { RunTargetOpener } from './target.js';
import { openWarm, refuseWarmPrefix } from './warm.js';
import { RemoteResults } from './remoteResults.js';

export type { PlanState, PlannedRun } from './prepare.js';

export interface SweepResult {
  exitCode: number;
  counts: RunCounts;
  plan: PlannedRun[];
  indexHtml?: string;
}

export interface SweepDeps {
  /** The servers to run on; opened here if the sweep needs one, stopped by the caller. */
  pool: ServerPool;
  /**
   * The user's interrupt (first Ctrl-C): no new run starts, running kernels are
   * interrupted, partial results are saved, the summary is written, exit code 130.
   */
  signal?: AbortSignal;
  /** What runs per config; default: the notebook of opts.notebook. */
  openTarget?: RunTargetOpener;
}

export async function runSweep(opts: SweepOptions, display: EventSink, deps: SweepDeps): Promise<SweepResult> {
  const target = await (deps.openTarget ?? openNotebookTarget)(opts);
  refuseWarmPrefix(opts, target);
  const options: SweepOptions = { ...opts, dstDir: resolve(opts.dstDir) };
  const warn = (message: string) => display({ type: 'warning', message });
  const lock = opts.dryRun ? undefined : acquireLock(options.dstDir, warn);
  // events.jsonl: opened once the lock is held, written line by line (results/events.ts).
  const events = lock ? EventLog.open(options.dstDir, warn) : undefined;
  const emit = events ? loggedSink(events, display) : display;
  const stop = new AbortController();
  // Every running cell listens on this signal: as many listeners as threads.
  setMaxListeners(0, stop.signal);
  const onInterrupt = () => {
    events?.record({ event: 'interrupted', reason: 'the user interrupted (Ctrl-C or SIGTERM)' });
    if (!stop.signal.aborted) stop.abort('interrupted');
  };
  if (deps.signal?.aborted) onInterrupt();
  deps.signal?.addEventListener('abort', onInterrupt);
  const shutdowns = new BackgroundShutdowns();
  const unwatch = watchServers(deps.pool, stop, emit, events);
  try {
    const needServer = !opts.dryRun || needsKernelToPlan(opts.configBuilder) || !!target.preflight;
    if (needServer) {
      deps.pool.notify = (message) => emit({ type: 'warning', message });
      await deps.pool.open();
    }
    const prepared = await prepareSweep(options, target, needServer ? deps.pool : undefined, stop.signal, emit);
    if (opts.dryRun) return { exitCode: 0, counts: zeroCounts(), plan: prepared.runs };
    const remote = new RemoteResults(options, prepared.kernel.language, emit);
    const ctx: RunContext = { opts: options, pool: deps.pool, target, kernel: prepared.kernel, plan: prepared.plan, emit, stop, shutdowns, remote };
    return await runPrepared(ctx, prepared, () => deps.signal?.aborted ?? false);
  } catch (err) {
    if (events?.started && !events.ended) events.record({ event: 'sweep_end', interrupted: deps.signal?.aborted ?? false, error: errorMessage(err) });
    throw err;
  } finally {
    await shutdowns.settle();
    unwatch();
    deps.signal?.removeEventListener('abort', onInterrupt);
    events?.close();
    lock?.release();
  }
}

/** The manifest, the runs, the summary; `interrupted` tells whether the user interrupted (even after --abort_on_error had stopped the sweep). */
async function runPrepared(ctx: RunContext, prepared: PreparedSweep, interrupted: () => boolean): Promise<SweepResult> {
  const { opts, target, plan } = ctx;
  const toRun = prepared.runs.filter((r) => !(opts.incremental && r.state === 'done'));
  const upToDate = prepared.runs.length - toRun.length;
  const threads = effectiveThreads(opts, toRun.length, ctx.pool.scheduler?.totalSlots);
  // Kernels a previous sweep into this dst_dir could not shut down (its server was unreachable).
  if (ctx.pool.scheduler) await ctx.pool.scheduler.inherit(previousServers(opts.dstDir));
  const startedAt = new Date().toISOString();
  const manifest = sweepManifest({ opts, target, plan, selected: prepared.selected, kernel: ctx.kernel, pool: ctx.pool, startedAt });
  await writeManifest(opts.dstDir, manifest);
  ctx.emit({ type: 'sweep-start', total: plan.configs.length, toRun: toRun.length, upToDate, threads, queued: toRun.map((r) => r.config.index) });
  for (const message of target.warnings?.(plan) ?? []) ctx.emit({ type: 'warning', message });

  const thisRun = new Map<number, ThisRun>(prepared.runs.map((r) => [r.config.index, opts.incremental && r.state === 'done' ? 'up_to_date' : r.state === 'stale' ? 'stale' : 'ran']));
  const title = plan.title ? `${target.stem} · ${plan.title}` : target.stem;
  const summary = new SummaryWriter(plan, opts.dstDir, target.stem, thisRun, { title, notebook: target.label, startedAt, endedAt: null });
  summary.markCancelled(prepared.cancelled);
  await summary.start();
  const emit = ctx.emit;
  const observed: RunContext = {
    ...ctx,
    emit: (e) => {
      if (e.type === 'run-start' && e.attempt === 1) summary.runStarted(e.index);
      else if (e.type === 'run-end') summary.runEnded(e.index, e.record);
      emit(e);
    },
  };
  if ((opts.warm || opts.warmPrefix) && toRun.length > 0) observed.warm = await openWarm(opts, ctx.pool, ctx.kernel, target, ctx.plan, ctx.emit);
  const { counts, fatal: runFatal, stopped } = await scheduleRuns(observed, toRun, threads, thisRun).finally(async () => {
    if (!observed.warm) return;
    // Its kernels first: they are shut down through the server, then the template goes.
    await ctx.shutdowns.settle();
    await observed.warm.stop();
  });
  let fatal = runFatal;
  counts.skipped = upToDate;
  if (stopped) manifest.stopped = stopped;
  manifest.ended_at = new Date().toISOString();
  if (ctx.pool.scheduler) manifest.servers = ctx.pool.scheduler.table();
  // The first write that failed is the one reported.
  await writeManifest(opts.dstDir, manifest).catch((err: unknown) => {
    fatal ??= err;
  });
  const indexHtml = await summary.finish(manifest.ended_at).catch((err: unknown) => {
    fatal ??= err;
    return undefined;
  });
  if (fatal) throw fatal;
  const wasInterrupted = interrupted();
  ctx.emit({ type: 'sweep-end', counts, indexHtml, interrupted: wasInterrupted });
  const sched = ctx.pool.scheduler;
  if (sched?.exhausted && !wasInterrupted) {
    const notDone = [...thisRun.values()].filter((v) => v === 'not_started').length + counts.aborted;
    throw new NoUsableServerError(`${sched.describeRetired()}; ${notDone} run(s) not done (resume with --incremental)`);
  }
  const gone = ctx.pool.exhausted;
  if (gone && !wasInterrupted) throw noServerLeft(gone, [...thisRun.values()].filter((v) => v === 'not_started').length);
  const exitCode = wasInterrupted ? 130 : counts.failed + counts.aborted > 0 ? 1 : 0;
  return { exitCode, counts, plan: prepared.runs, indexHtml };
}

/** A lost server is told as a warning; once none is left, no further run starts (the rest stay not_started). */
function watchServers(pool: ServerPool, stop: AbortController, emit: EventSink, events?: EventLog): () => void {
  const offLost = pool.onLost((err, restarting) => {
    events?.record({ event: 'server_lost', message: err.message, restarting });
    emit({ type: 'warning', message: `${err.message}${restarting ? '; restarting it (once)' : ''}` });
  });
  const offExhausted = pool.onExhausted(() => {
    if (!stop.signal.aborted) stop.abort('server_lost');
  });
  return () => {
    offLost();
    offExhausted();
  };
}

/** Exit 1 when the embedded server died twice (its runs failed); exit 2 when a remote server is gone. */
function noServerLeft(err: ServerLostError, notStarted: number): JupyterError {
  const rest = notStarted ? `; ${notStarted} run${notStarted === 1 ? '' : 's'} not started (resume with --incremental)` : '';
  const what = err.embedded ? `${err.message}, again after a restart` : err.message;
  return new JupyterError(`${what}${rest}`, { exitCode: err.embedded ? 1 : 2, cause: err });
}

/** The server table of the sweep.json already in dst_dir (for the kernels it left behind). */
function previousServers(dstDir: string): { name?: string; url?: string; orphans?: string[] }[] {
  try {
    const m = JSON.parse(readFileSync(join(dstDir, SWEEP_FILES.manifest), 'utf8')) as { servers?: unknown };
    return Array.isArray(m.servers) ? (m.servers as { name?: string; url?: string; orphans?: string[] }[]) : [];
  } catch {
    return [];
  }
}

function effectiveThreads(opts: SweepOptions, runs: number, slots?: number): number {
  // On remote servers: their slots, capped by --num_threads when given.
  let n = slots === undefined ? opts.numThreads : opts.numThreadsGiven ? Math.min(opts.numThreads, slots) : slots;
  if (opts.resources?.length) n = Math.min(n, opts.resources.length);
  return Math.max(1, Math.min(n, Math.max(1, runs)));
}

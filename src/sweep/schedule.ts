// Runs the planned runs: at most `threads` at once (p-limit), each in a worker slot, the
// next runs' kernels started ahead, --abort_on_error and fatal errors stopping the rest.
import pLimit from 'p-limit';
import { KernelPrefetch } from '../jupyter/index.js';
import type { RunStatus, ThisRun } from '../status.js';
import { FailFast } from './failFast.js';
import { startRunKernel } from './kernels.js';
import type { PlannedRun } from './prepare.js';
import { runConfig, type RunContext } from './runConfig.js';
import { SlotPool } from './slots.js';

export type RunCounts = Record<RunStatus | 'skipped', number>;

export function zeroCounts(): RunCounts {
  return { success: 0, failed: 0, aborted: 0, interrupted: 0, skipped: 0 };
}

export interface ScheduleResult {
  counts: RunCounts;
  /** A run that could not be recorded (disk full, unwritable dst_dir): the sweep reports it after the summary. */
  fatal?: unknown;
  /** Set when the sweep started no more runs on its own ('fail_fast'). */
  stopped?: string;
}

/** `thisRun` is told which runs never started (not_started). */
export async function scheduleRuns(ctx: RunContext, toRun: PlannedRun[], threads: number, thisRun: Map<number, ThisRun>): Promise<ScheduleResult> {
  // With --resources a kernel's devices depend on the slot its run gets, unknown ahead.
  // Remote servers' slots count prefetched kernels, so there a kernel started ahead
  // would only take a slot a run could use now.
  if (!ctx.opts.resources?.length && !ctx.pool.scheduler) {
    const byIndex = new Map(toRun.map((r) => [r.config.index, r.config]));
    ctx.prefetch = new KernelPrefetch(
      toRun.map((r) => r.config.index),
      threads,
      (index) => startRunKernel(ctx, byIndex.get(index)!, {}),
    );
  }
  const slots = new SlotPool(threads, ctx.opts.resources);
  const limit = pLimit(threads);
  const result: ScheduleResult = { counts: zeroCounts() };
  const failFast = new FailFast(ctx.opts.failFast, toRun.length);
  // A run holds its slot while a kernel works for it. Its files and records are written
  // after the slot passes on; the summary waits for all of them.
  const writing: Promise<unknown>[] = [];
  try {
    await Promise.all(
      toRun.map((r) =>
        limit(async () => {
          if (ctx.stop.signal.aborted || failFast.stopped) {
            thisRun.set(r.config.index, 'not_started');
            return;
          }
          const { slotFree, written } = runInSlot(ctx, r, slots, result, failFast);
          writing.push(written);
          await slotFree;
        }),
      ),
    );
    await Promise.all(writing);
  } finally {
    await ctx.prefetch?.close();
    await ctx.shutdowns.settle();
  }
  return result;
}

/** Starts one run in a free slot: `slotFree` settles when the slot passes on, `written` when all is saved. */
function runInSlot(ctx: RunContext, r: PlannedRun, slots: SlotPool, result: ScheduleResult, failFast: FailFast): { slotFree: Promise<unknown>; written: Promise<unknown> } {
  const slot = slots.take();
  let executed!: () => void;
  const executedP = new Promise<void>((res) => (executed = res));
  let given = false;
  const giveBack = () => {
    if (given) return;
    given = true;
    slots.give(slot);
    executed();
  };
  const done = runConfig(ctx, r.config, r.fingerprint, slot.env, (status, last) => {
    // Decided before the slot passes on, so no further run starts after a failure.
    if (status === 'failed' && ctx.opts.abortOnError && !ctx.stop.signal.aborted) ctx.stop.abort('aborted');
    const why = failFast.observe({ status, reason: last?.reason, cellIndex: last?.cellIndex, headline: last?.headline });
    if (why) {
      // Running runs finish; kernels started ahead for runs that will not start are shut down.
      result.stopped = 'fail_fast';
      ctx.emit({ type: 'fail-fast', message: why });
      void ctx.prefetch?.close();
    }
    giveBack();
  }).then(
    (rec) => {
      result.counts[rec.status]++;
    },
    (err: unknown) => {
      // A run that cannot be recorded stops the sweep: the others are interrupted and
      // saved, the summary is attempted, the error is reported.
      result.fatal ??= err;
      if (!ctx.stop.signal.aborted) ctx.stop.abort('fatal');
    },
  );
  const written = done.finally(giveBack);
  written.catch(() => undefined); // awaited by the caller; this keeps an early exit from leaving it unhandled
  return { slotFree: Promise.race([executedP, done]), written };
}

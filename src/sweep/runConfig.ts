// One config of a sweep: its folder, the attempt loop (attempts.ts), then what it leaves
// behind: the target's files (the executed notebook and its HTML), run.json, success.txt.
import { mkdirSync } from 'node:fs';
import { configFileText, configTextContent, type ConfigPlan, type PlannedConfig } from '../config/index.js';
import type { BackgroundShutdowns, KernelPrefetch, ServerPool, WarmTemplate } from '../jupyter/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { runAttempts, runStatus } from './attempts.js';
import type { EventSink, RunStatus } from './events.js';
import { RunLayout } from '../results/layout.js';
import type { SweepOptions } from './options.js';
import type { AttemptRecord, RunRecord } from '../results/runRecord.js';
import { resetRun, writeRun } from '../results/runs.js';
import { RunLog } from '../results/runLog.js';
import { errorMessage } from '../errors.js';
import type { RemoteResults } from './remoteResults.js';
import type { ResolvedKernel, RunTarget } from './target.js';

export interface RunContext {
  opts: SweepOptions;
  pool: ServerPool;
  /** What runs per config (the notebook). */
  target: RunTarget;
  kernel: ResolvedKernel;
  plan: ConfigPlan;
  emit: EventSink;
  /** Aborted by Ctrl-C (reason 'interrupted'), --abort_on_error (reason 'aborted') or a fatal error. */
  stop: AbortController;
  /** Kernels started ahead of their runs, keyed by config index. */
  prefetch?: KernelPrefetch<number>;
  /** This sweep's kernels still shutting down in the background. */
  shutdowns: BackgroundShutdowns;
  /** --warm: the template each run's kernel is forked from. */
  warm?: WarmTemplate;
  /** Remote servers: the kernel-side scratch result folders and their copy back. */
  remote?: RemoteResults;
}

/**
 * Runs one config. `onExecuted` is called with the run's status once no kernel works
 * for it any more, before its files and records are written: the sweep hands the slot
 * to the next run then, and the returned promise settles once all is written.
 */
export async function runConfig(
  ctx: RunContext,
  config: PlannedConfig,
  fingerprint: string,
  slotEnv: Record<string, string>,
  onExecuted?: (status: RunStatus, last?: AttemptRecord) => void,
): Promise<RunRecord> {
  const layout = new RunLayout(ctx.opts.dstDir, config.index, ctx.target.stem);
  const log = await startRunDir(layout, config, (message) => ctx.emit({ type: 'warning', message }));
  const started = new Date();
  const { attempts, ran, results, requeues } = await runAttempts(ctx, config, log, slotEnv).finally(() => log.close());
  const status = runStatus(attempts, ctx.opts.numRetries + 1, ctx.stop.signal);
  const ended = new Date();
  const last = attempts[attempts.length - 1];
  onExecuted?.(status, last);
  const run: RunRecord = {
    index: config.index,
    name: config.name,
    status,
    fingerprint,
    notebook: ctx.target.files.notebook,
    html: ctx.target.files.html,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationSec: last?.execSec ?? 0,
    ...(last?.kernelStartSec !== undefined ? { kernelStartSec: last.kernelStartSec } : {}),
    totalSec: (ended.getTime() - started.getTime()) / 1000,
    attempts,
    results,
    error: status === 'success' ? undefined : last?.headline ?? status,
    errorCellIndex: status === 'success' ? undefined : last?.cellIndex,
    kernel: ctx.kernel.name,
    python: [...attempts].reverse().find((a) => a.python)?.python,
    ...(requeues?.length ? { requeues } : {}),
    ...(log.cut ? { logCut: log.cut } : {}),
  };
  try {
    await ctx.target.save(ran, { config, dstDir: ctx.opts.dstDir, layout, record: run, last });
    await writeRun(layout, run);
  } catch (err) {
    // Not saved (a full disk): the run failed to leave its results. The summary and
    // events.jsonl say so; the error stops the sweep.
    const unsaved: RunRecord = { ...run, status: 'failed', error: `its results could not be saved: ${errorMessage(err)}` };
    ctx.emit({ type: 'run-end', index: config.index, name: config.name, status: 'failed', durationSec: run.durationSec, headline: unsaved.error, record: unsaved });
    throw err;
  }
  ctx.emit({ type: 'run-end', index: config.index, name: config.name, status, durationSec: run.durationSec, headline: run.error, record: run });
  return run;
}

/** A fresh start for the run's folder: no success.txt, the config files, then an empty log. */
async function startRunDir(layout: RunLayout, config: PlannedConfig, warn: (message: string) => void): Promise<RunLog> {
  mkdirSync(layout.dir, { recursive: true });
  resetRun(layout);
  await writeFileAtomic(layout.configJson, configFileText(config, 1) + '\n');
  await writeFileAtomic(layout.configTxt, configTextContent(config));
  return RunLog.start(layout.log, warn);
}

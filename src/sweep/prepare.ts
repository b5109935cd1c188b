// Before anything runs: the kernel, the plan, the selection, and each selected run's
// fingerprint and state (new, done, stale) against what the dst_dir already holds.
import { configFingerprintPart, selectIndices, type ConfigPlan, type PlannedConfig } from '../config/index.js';
import { chooseKernelInterpreter, describeKernelInterpreter, resolveInterpreter, resolveKernelSpec, type ServerPool } from '../jupyter/index.js';
import type { EventSink } from './events.js';
import { runFingerprint } from './fingerprint.js';
import { RunLayout } from '../results/layout.js';
import type { SweepOptions } from './options.js';
import { makePlan } from './plan.js';
import { readRun, runSucceeded } from '../results/runs.js';
import { cancelledIn, type CancelledRun } from '../results/events.js';
import type { ResolvedKernel, RunTarget } from './target.js';

/** What --incremental finds: never run (new), succeeded with this fingerprint (done), run with
 *  another fingerprint (stale), failed/aborted/interrupted with this one (failed); cancelled:
 *  the event log shows it started by a runner that ended without recording it. */
export type PlanState = 'new' | 'done' | 'stale' | 'failed' | 'cancelled';

export interface PlannedRun {
  config: PlannedConfig;
  fingerprint: string;
  state: PlanState;
}

export interface PreparedSweep {
  kernel: ResolvedKernel;
  plan: ConfigPlan;
  /** Indices chosen by --index, --start_from_index, --sample (all by default). */
  selected: number[];
  runs: PlannedRun[];
  /** Runs of any config that earlier runners left cancelled (events.jsonl). */
  cancelled: ReadonlyMap<number, CancelledRun>;
}

/** `pool` is undefined when nothing needs a server (a dry run with a sweep file). */
export async function prepareSweep(opts: SweepOptions, target: RunTarget, pool: ServerPool | undefined, signal: AbortSignal, emit?: EventSink): Promise<PreparedSweep> {
  const kernel = await resolveKernel(opts.kernel ?? target.kernel.name, target, pool, opts.python);
  // The first line: which interpreter runs the kernel (and a Python builder), and why.
  if (pool && kernel.description) emit?.({ type: 'kernel', kernel: kernel.name, description: kernel.description });
  const plan = await makePlan(opts.configBuilder, {
    notebookDir: target.dir,
    title: opts.title,
    pool,
    kernelName: kernel.name,
    interpreter: kernel.interpreter?.path,
    language: kernel.language,
    startTimeoutSec: opts.startTimeoutSec,
    signal,
    parameters: opts.parameters,
  });
  if (target.preflight) {
    if (!pool) throw new Error('a target with a preflight needs a server');
    await target.preflight({ opts, pool, kernel, plan, signal });
  }
  const selected = selectIndices(plan, { index: opts.index, startFromIndex: opts.startFromIndex, sample: opts.sample, seed: opts.seed });
  const chosen = new Set(selected);
  const cancelled = cancelledIn(opts.dstDir);
  const runs = plan.configs
    .filter((c) => chosen.has(c.index))
    .map((config) => {
      const fingerprint = runFingerprint({ notebookDigest: target.digest, config: configFingerprintPart(config), builder: plan.builder, kernel: kernel.name });
      return { config, fingerprint, state: previousState(new RunLayout(opts.dstDir, config.index, target.stem), fingerprint, cancelled.has(config.index)) };
    });
  return { kernel, plan, selected, runs, cancelled };
}

/** --kernel, else the target's; checked against the server when there is one, with the interpreter it runs in. */
async function resolveKernel(wanted: string | undefined, target: RunTarget, pool: ServerPool | undefined, python: string | undefined): Promise<ResolvedKernel> {
  // The interpreter is probed while the kernelspecs are listed; its error counts only if the kernel would use it.
  const resolving = pool ? resolveInterpreter({ python }) : undefined;
  resolving?.catch(() => undefined);
  const spec = pool ? await resolveKernelSpec(pool.primary, wanted) : undefined;
  const name = spec?.name ?? wanted ?? 'python3';
  const language = spec?.language ?? target.kernel.language ?? 'python';
  if (!pool || !spec) return { name, language };
  const interpreter = await chooseKernelInterpreter(pool.primary, spec, python, () => resolving!);
  return { name, language, interpreter, description: describeKernelInterpreter(name, interpreter, spec, pool.primary.label) };
}

function previousState(layout: RunLayout, fingerprint: string, cancelled: boolean): PlanState {
  const rec = readRun(layout);
  if (rec?.fingerprint === fingerprint && runSucceeded(layout, rec)) return 'done';
  if (cancelled) return 'cancelled';
  if (!rec) return 'new';
  return rec.fingerprint !== fingerprint ? 'stale' : 'failed';
}

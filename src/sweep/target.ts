// The run-target seam: what runs once per config. The sweep plans the configs, schedules
// the runs, starts their kernels, retries, aborts and keeps the records; a target says
// what one run does on its kernel and what it leaves in its result folder.
import type { ConfigPlan, PlannedConfig } from '../config/index.js';
import type { ExecutionOutcome } from '../execute/index.js';
import type { Interpreter, KernelSession, PrefixResult, ServerPool } from '../jupyter/index.js';
import type { JSONValue } from '../notebook/types.js';
import type { RunLayout } from '../results/layout.js';
import type { SweepOptions } from './options.js';
import type { AttemptRecord, RunRecord } from '../results/runRecord.js';

/** The kernel a sweep's runs use, once resolved against the server. */
export interface ResolvedKernel {
  name: string;
  language: string;
  /** The Python a python3-style kernel runs in (jupyter/interpreter.ts); undefined when the kernel names its own. */
  interpreter?: Interpreter;
  /** Which interpreter runs it and why, as the first console line and sweep.json say it. */
  description?: string;
}

/** What an attempt reports while it runs (the sweep turns these into events, log.txt and records). */
export interface AttemptIO {
  /** Aborted by Ctrl-C or --abort_on_error: stop, and report the outcome as 'interrupted'. */
  signal: AbortSignal;
  onStep(ordinal: number, total: number): void;
  onText(stream: 'stdout' | 'stderr', text: string): void;
  onRecord(name: string, value: JSONValue): void;
}

/** One attempt of one config: a fresh copy of what runs, ready for a kernel. */
export interface TargetAttempt {
  /** Runs on the session; the sweep owns the session (start, shut down) and the retries. */
  execute(session: KernelSession, io: AttemptIO): Promise<ExecutionOutcome>;
}

/** A finished run, as handed to the target to save. */
export interface FinishedRun {
  config: PlannedConfig;
  dstDir: string;
  /** The run's folder (layout.dir, result_<idx>/) and the runner's files in it. */
  layout: RunLayout;
  /** What run.json will say (written after save returns). */
  record: RunRecord;
  /** The last attempt's record; undefined when no attempt began (the sweep was stopped first). */
  last?: AttemptRecord;
}

/**
 * What runs per config. The notebook (notebookTarget.ts) is the first kind.
 *
 * To add a kind of per-config job (a Python function, say):
 *   1. implement RunTarget in a new module of sweep/ (or of its own stage): `digest` for the
 *      fingerprint, `prepare` for a fresh attempt, `TargetAttempt.execute` on the kernel
 *      session it is given (session.execute(code, {onIOPub, signal})), `save` for its files;
 *   2. write a RunTargetOpener that builds it from the options (read files here: it runs
 *      before the dst_dir lock and before any server starts);
 *   3. pass it to runSweep as `deps.openTarget` from the new command in cli/.
 * Planning, selection, scheduling, slots, prefetching, retries, abort, Ctrl-C, run.json,
 * success.txt and the summary stay as they are.
 */
export interface RunTarget {
  /** What the manifest and the summary name as the thing that ran (the notebook's path). */
  readonly label: string;
  /** Folder where builder names resolve and kernels start by default. */
  readonly dir: string;
  /** Base name of the run's files and the sweep's title (the notebook's stem). */
  readonly stem: string;
  /** The kernel asked for (a notebook's kernelspec), used unless --kernel names one. */
  readonly kernel: { name?: string; language?: string };
  /** Goes into every run's fingerprint: a change makes earlier runs stale for --incremental. */
  readonly digest: string;
  /** Code whose top-level imports a --warm template pre-imports (a notebook's code cells); parsed, never run. */
  readonly importSources?: readonly string[];
  /** --warm_prefix: code run once in the warm template; `use` hands the target its outputs (runs then skip it). */
  readonly prefix?: { readonly sources: readonly string[]; use(results: PrefixResult[]): void };
  /** The files a run leaves, relative to its folder, as run.json and the summary name them (an experiment has no notebook). */
  readonly files: { notebook?: string; html?: string };
  /**
   * Optional: checked once before any run and before the fingerprints are made, on a kernel
   * of the sweep (an experiment imports its module there and reads its source for `digest`).
   * Throw a UserError to stop the sweep (exit 2). A target with a preflight always gets a
   * server, for --dry_run too.
   */
  preflight?(ctx: PreflightContext): Promise<void>;
  /** A fresh attempt of `config`, called once a kernel is ready for it. */
  prepare(config: PlannedConfig, kernel: ResolvedKernel): TargetAttempt;
  /**
   * Writes the run's artifacts, before run.json. `ran` is the last attempt that got a kernel;
   * undefined when none did (or none began: then `run.last` is undefined too).
   */
  save(ran: TargetAttempt | undefined, run: FinishedRun): Promise<void>;
  /** Warnings about the target for this plan, shown once when the sweep starts. */
  warnings?(plan: ConfigPlan): string[];
}

/** What a target's preflight gets: the sweep's servers, its kernel and plan, the stop signal. */
export interface PreflightContext {
  opts: SweepOptions;
  pool: ServerPool;
  kernel: ResolvedKernel;
  plan: ConfigPlan;
  signal: AbortSignal;
}

/** Builds a sweep's target from its options. */
export type RunTargetOpener = (opts: SweepOptions) => Promise<RunTarget>;

// One executed run (a notebook, or one config of a sweep) → its NotebookCheckResult, in
// any mode. The runner hands over what it knows about the run; nothing here touches disk.

import type { Notebook } from '../notebook/types.js';
import { checkExecuted, compareNotebooks } from './compare.js';
import type { CheckMode } from './mode.js';
import type { CompareOptions, NotebookCheckResult } from './types.js';
import { resultsMismatch, type Tolerance } from './results.js';
import type { JSONValue } from '../notebook/types.js';
import type { RunStatus } from '../status.js';

export interface CheckedRun {
  /** The notebook as the user named it, for reports. */
  notebook: string;
  /** Set in a sweep (with --config_builder); plain notebooks carry no config in reports. */
  configIndex?: number;
  configName?: string;
  /** The run's outcome as the sweep recorded it. */
  status: RunStatus;
  /** Why the run failed, one line (the sweep's headline). */
  headline?: string;
  /** The executed notebook; undefined when no kernel ever ran it (the kernel did not start, ...). */
  executed?: Notebook;
}

/** What the run is compared with: a notebook, or why there is none (e.g. a missing golden). */
export type Expected = { notebook: Notebook } | { missing: string };

/**
 * - Not executed at all: a notebook-level error, no cells.
 * - `smoke` and `update-golden`: each code cell ran without an unexpected error (checkExecuted).
 *   Under `update-golden` a failed run also says that its golden was not recorded.
 * - `stored` and `golden`: compareNotebooks against `expected`; a missing expected notebook is
 *   a notebook-level error.
 * - A run that failed although no cell shows an unexpected error (a timeout in a cell allowed
 *   to raise, an interrupt, ...) gets the sweep's headline as its notebook-level error, so a
 *   failed run can never pass.
 */
export function judgeCheckedRun(run: CheckedRun, mode: CheckMode, expected: Expected | undefined, opts: CompareOptions = {}): NotebookCheckResult {
  const result: NotebookCheckResult = { notebook: run.notebook, cells: [] };
  if (run.configIndex !== undefined) result.configIndex = run.configIndex;
  if (run.configName !== undefined) result.configName = run.configName;
  if (!run.executed) {
    result.error = run.headline ?? `the run ${run.status === 'success' ? 'left no executed notebook' : run.status}`;
    return result;
  }
  if (mode === 'smoke' || mode === 'update-golden') {
    result.cells = checkExecuted(run.executed, opts);
  } else if (!expected) {
    throw new Error(`judgeCheckedRun: mode ${mode} needs an expected notebook`);
  } else if ('missing' in expected) {
    result.error = expected.missing;
    return result;
  } else {
    result.cells = compareNotebooks(expected.notebook, run.executed, opts);
  }
  if (run.status !== 'success' && mode === 'update-golden') {
    result.error = `golden not recorded: ${run.headline ?? `the run ${run.status}`}`;
  } else if (run.status !== 'success' && !result.cells.some((c) => c.status === 'error')) {
    result.error = run.headline ?? `the run ${run.status}`;
  }
  return result;
}

/** One config of an experiment check, as the sweep left it. */
export interface CheckedExperimentRun {
  /** MODULE.FUNCTION as given. */
  experiment: string;
  configIndex: number;
  configName: string;
  status: RunStatus;
  headline?: string;
  /** What the run recorded (record() and the returned mapping). */
  results: Record<string, JSONValue>;
}

/** The golden's results, or why there are none. */
export type ExpectedResults = { results: Record<string, JSONValue> } | { missing: string };

/**
 * An experiment has no cells: a run passes when it succeeded and, in golden mode, its recorded
 * results match the golden's within the tolerance. A failed run reports its headline.
 */
export function judgeExperimentRun(run: CheckedExperimentRun, mode: CheckMode, expected: ExpectedResults | undefined, tolerance: Tolerance): NotebookCheckResult {
  const result: NotebookCheckResult = { notebook: run.experiment, kind: 'experiment', configIndex: run.configIndex, configName: run.configName, cells: [] };
  const failure = run.status === 'success' ? undefined : (run.headline ?? `the run ${run.status}`);
  if (failure) result.error = mode === 'update-golden' ? `golden not recorded: ${failure}` : failure;
  else if (mode === 'golden') {
    if (!expected) throw new Error('judgeExperimentRun: golden mode needs the golden results');
    result.error = 'missing' in expected ? expected.missing : resultsMismatch(expected.results, run.results, tolerance);
  }
  if (result.error === undefined) delete result.error;
  return result;
}

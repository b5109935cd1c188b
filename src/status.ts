// The status words, in one place: of one execution (a notebook on a kernel), of one
// attempt, of one run (run.json, the summary, check), and a run's part in this invocation.

/** One execution on a kernel (execute/): ok, a cell error, a cell timeout, a dead kernel, a lost server, interrupted. */
export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'kernel_died' | 'server_lost' | 'interrupted';

/** One attempt of a run: its execution's status, or start_failed when no kernel started. */
export type AttemptStatus = ExecutionStatus | 'start_failed';

/** A finished run (run.json `status`, CheckedRun.status). */
export type RunStatus = 'success' | 'failed' | 'aborted' | 'interrupted';

/**
 * A config in the summary: its run's status, running (live summary), not_run, or cancelled:
 * the event log (events.jsonl) shows it started by a runner that ended without recording it.
 */
export type SummaryStatus = RunStatus | 'running' | 'not_run' | 'cancelled';

/**
 * The summary's `this_run`: ran; up_to_date (skipped by --incremental); stale (rerun because
 * its fingerprint changed); not_started (the sweep stopped first); not_selected.
 */
export type ThisRun = 'ran' | 'up_to_date' | 'stale' | 'not_started' | 'not_selected';

/** What a run page's banner says: the run's status, a failed run named by how it failed. */
export type RunPageStatus = RunStatus | 'timeout' | 'kernel_died';

/** The banner word of a run: a failed run is named by how its last attempt failed (timeout, kernel_died, interrupted). */
export function runPageStatus(status: RunStatus, lastAttempt?: AttemptStatus): RunPageStatus {
  if (status !== 'failed' || !lastAttempt) return status;
  return lastAttempt === 'timeout' || lastAttempt === 'kernel_died' || lastAttempt === 'interrupted' ? lastAttempt : 'failed';
}

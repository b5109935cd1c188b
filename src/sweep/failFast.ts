// Stop a sweep that cannot succeed: when the first 3 runs to finish all failed with the
// same error at the same cell, and none succeeded, the rest would almost surely fail the
// same way (a missing module, a wrong path). No new run starts; running ones finish.
// Sweeps of fewer than 4 runs are left alone, and --no_fail_fast turns it off.
import type { RunStatus } from './events.js';

export const FAIL_FAST_RUNS = 3;

export interface ObservedRun {
  status: RunStatus;
  /** The error without its location ("ModuleNotFoundError: No module named 'numpy'"). */
  reason?: string;
  cellIndex?: number;
  /** The error as the console shows it, location included ("...: No module named 'numpy' (cell 2)"). */
  headline?: string;
}

export class FailFast {
  private readonly seen: ObservedRun[] = [];
  private verdict?: string;

  /** `runs`: how many runs this sweep starts in all. */
  constructor(
    private readonly enabled: boolean,
    private readonly runs: number,
  ) {}

  /**
   * Called as each run finishes (in finishing order). Returns the one-line reason the
   * first time the sweep should start no new runs, and undefined otherwise.
   */
  observe(run: ObservedRun): string | undefined {
    if (!this.enabled || this.runs <= FAIL_FAST_RUNS || this.verdict !== undefined) return undefined;
    // Interrupted and aborted runs say nothing about the notebook; only verdicts count.
    if (run.status !== 'failed' && run.status !== 'success') return undefined;
    if (this.seen.length >= FAIL_FAST_RUNS) return undefined;
    this.seen.push(run);
    if (this.seen.length < FAIL_FAST_RUNS) return undefined;
    const [first] = this.seen;
    const same = this.seen.every((r) => r.status === 'failed' && r.reason === first!.reason && r.cellIndex === first!.cellIndex);
    if (!same) return undefined;
    this.verdict =
      `the first ${FAIL_FAST_RUNS} runs all failed the same way (${first!.headline ?? first!.reason ?? 'same error'}); ` +
      `starting none of the other ${this.runs - FAIL_FAST_RUNS} (--no_fail_fast runs them anyway)`;
    return this.verdict;
  }

  get stopped(): boolean {
    return this.verdict !== undefined;
  }
}

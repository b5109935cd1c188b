// What one execution of a notebook came to. Cell indices are positions in nb.cells
// (0-based); user-facing text numbers cells from 1, as a reader counts them.

import type { ExecutionStatus } from '../status.js';

export type { ExecutionStatus };

export interface ExecutionOutcome {
  status: ExecutionStatus;
  /** The cell that failed, timed out, was running when the kernel died, or was interrupted. */
  cellIndex?: number;
  /** One line for logs and summaries, e.g. "ZeroDivisionError: division by zero (cell 4)". */
  headline?: string;
  /** What happened, without where: "ZeroDivisionError: division by zero", "timed out after 5s". */
  reason?: string;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  /** Code cells actually sent to the kernel. */
  executedCells: number;
}

export function cellLabel(cellIndex: number): string {
  return `cell ${cellIndex + 1}`;
}

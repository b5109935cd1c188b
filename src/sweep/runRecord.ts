// run.json: the status of one run and every attempt it took, read back by
// --incremental and by the summary.
import { readFileSync } from 'node:fs';
import type { ExecutionStatus } from '../execute/index.js';
import type { JSONValue } from '../notebook/types.js';
import type { RunStatus } from './events.js';

export interface AttemptRecord {
  attempt: number;
  status: ExecutionStatus | 'start_failed';
  startedAt: string;
  endedAt: string;
  durationSec: number;
  headline?: string;
  /** The headline without its location, e.g. "KeyError: 'x'". */
  reason?: string;
  cellIndex?: number;
  server?: string;
}

export interface RunRecord {
  index: number;
  name: string;
  status: RunStatus;
  fingerprint: string;
  notebook: string;
  html?: string;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  attempts: AttemptRecord[];
  results: Record<string, JSONValue>;
  /** Headline of the last failure, for summaries. */
  error?: string;
  errorCellIndex?: number;
  kernel: string;
}

export function readRunRecord(path: string): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

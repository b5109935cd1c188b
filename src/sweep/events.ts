// Typed progress events: the scheduler emits them; the console display and the
// per-run status files consume them.

import type { AttemptStatus, RunStatus } from '../status.js';
import type { RunRecord } from '../results/runRecord.js';

export type { RunStatus };

export type SweepEvent =
  | { type: 'kernel'; kernel: string; description: string }
  | { type: 'sweep-start'; total: number; toRun: number; upToDate: number; threads: number; queued?: number[] }
  | { type: 'run-start'; index: number; name: string; attempt: number; maxAttempts: number }
  | { type: 'cell'; index: number; ordinal: number; total: number }
  | { type: 'attempt-failed'; index: number; name: string; attempt: number; headline: string; willRetry: boolean; status?: AttemptStatus }
  | { type: 'run-end'; index: number; name: string; status: RunStatus; durationSec: number; headline?: string; record?: RunRecord }
  | { type: 'output'; index: number; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'warning'; message: string; requeued?: { index: number; reason: string } }
  | { type: 'fail-fast'; message: string }
  | { type: 'sweep-end'; counts: Record<RunStatus | 'skipped', number>; indexHtml?: string; interrupted: boolean };

export type EventSink = (event: SweepEvent) => void;

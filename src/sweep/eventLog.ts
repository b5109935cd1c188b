// The sweep's progress events, as lines of events.jsonl (src/results/events.ts): the
// returned sink records what the log keeps and passes every event on.
import type { EventLog } from '../results/events.js';
import type { EventSink } from './events.js';

export function loggedSink(log: EventLog, emit: EventSink): EventSink {
  return (e) => {
    switch (e.type) {
      case 'sweep-start':
        log.record({ event: 'sweep_start', total: e.total, to_run: e.toRun, up_to_date: e.upToDate, threads: e.threads, queued: e.queued ?? [] });
        break;
      case 'run-start':
        log.record({ event: 'run_started', index: e.index, name: e.name, attempt: e.attempt, max_attempts: e.maxAttempts });
        break;
      case 'attempt-failed':
        log.record({ event: 'attempt_end', index: e.index, attempt: e.attempt, status: e.status ?? 'failed', headline: e.headline, will_retry: e.willRetry });
        break;
      case 'run-end':
        log.record({ event: 'run_finished', index: e.index, name: e.name, status: e.status, duration_sec: e.durationSec, ...(e.headline ? { error: e.headline } : {}) });
        break;
      case 'warning':
        if (e.requeued) log.record({ event: 'run_requeued', index: e.requeued.index, reason: e.requeued.reason });
        break;
      case 'sweep-end':
        log.record({ event: 'sweep_end', counts: e.counts, interrupted: e.interrupted });
        break;
    }
    emit(e);
  };
}

// A run's server problems, told apart from its own failures. A start refused or lost
// for the server's sake (refused/reset, 5xx, start timeout, not authorized, lost
// connection) requeues the run without spending a retry, at most max_requeues times;
// "Resource Limit" only waits (back-pressure) and is not counted as a requeue.
import { KernelStartError, type KernelSession } from '../jupyter/index.js';
import type { RunContext } from './runConfig.js';
import type { RunLog } from '../results/runLog.js';

export interface RequeueRecord {
  at: string;
  server: string;
  reason: string;
}

/** Bound on back-pressure waits for one run (each waits the server's backoff). */
const MAX_CAPACITY_WAITS = 200;

export class Requeue {
  readonly records: RequeueRecord[] = [];
  private capacityWaits = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly index: number,
    private readonly log: RunLog,
  ) {}

  private get max(): number {
    return this.ctx.pool.scheduler?.settings.maxRequeues ?? 0;
  }

  /** True when a failed kernel start should be tried again (elsewhere) without spending a retry. */
  startFailed(err: unknown): boolean {
    if (!this.ctx.pool.scheduler || !(err instanceof KernelStartError) || err.problem === 'request') return false;
    if (err.problem === 'capacity') return ++this.capacityWaits <= MAX_CAPACITY_WAITS;
    return this.take(err.serverName ?? 'unknown', err.message);
  }

  /** After an attempt: was the kernel lost because its server was (down, or not answering now)? */
  async lost(session: KernelSession, outcome: { status: string; reason?: string }): Promise<boolean> {
    const sched = this.ctx.pool.scheduler;
    if (!sched || !['kernel_died', 'error', 'server_lost'].includes(outcome.status)) return false;
    const entry = sched.entryOf(session.server) ?? sched.entries.find((e) => e.server.label === session.server.label);
    if (!entry) return false;
    const troubled = entry.state !== 'up' || entry.server !== session.server || !(await sched.answers(session.server));
    if (!troubled) return false;
    const reason = `${outcome.reason ?? outcome.status} (server ${entry.name} ${entry.state === 'up' ? 'does not answer' : `is ${entry.state}`})`;
    if (entry.state === 'up' && entry.server === session.server) sched.markDown(entry, 'a kernel connection was lost and it does not answer');
    sched.requeued(entry);
    return this.take(entry.name, reason);
  }

  private take(server: string, reason: string): boolean {
    if (this.records.length >= this.max) return false;
    const rec = { at: new Date().toISOString(), server, reason };
    this.records.push(rec);
    this.log.append(`--- requeued (server problem, no retry spent): ${reason} ---\n`);
    this.ctx.emit({ type: 'warning', message: `run ${this.index} requeued: ${reason}`, requeued: { index: this.index, reason } });
    return true;
  }
}

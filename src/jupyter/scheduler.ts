// Which server a kernel goes to, across many. Each server has a kernel budget (slots)
// that counts every kernel the runner holds there: running, started ahead, and still
// shutting down. Requests wait in one FIFO queue; a freed slot goes to the oldest
// request, so faster servers take more runs. A server is `up`, `down` (missed probes or
// a lost connection: no new kernels, its runs are requeued; re-admitted when it answers
// again, after its orphaned kernels are deleted) or `retired` (for good: refused us,
// failed too often, or down too long). "Resource Limit" is back-pressure: the server's
// budget shrinks to what it holds for a while, and nothing fails.
import { JupyterError } from '../errors.js';
import type { JupyterServer } from './server.js';
import type { PoolTiming } from './serversFile.js';

export type EntryState = 'up' | 'down' | 'retired';

export interface ServerEntry {
  readonly name: string;
  server: JupyterServer;
  readonly slots: number;
  /** Kernels held here now (running, prefetched, shutting down). */
  kernels: number;
  state: EntryState;
  failuresInRow: number;
  missedProbes: number;
  downSince?: number;
  /** Back-pressure after "Resource Limit": at most `cap` kernels until `capUntil`. */
  cap?: number;
  capUntil?: number;
  retiredWhy?: string;
  /** Kernel ids left behind while the server was unreachable, deleted on re-admission. */
  orphans: Set<string>;
  /** The server's own `resources` (one device group per slot), and which groups its kernels hold now. */
  devices?: string[][];
  devicesInUse: Set<number>;
  /** Aborted when the server goes down or is retired (a new one on re-admission): kernel starts in flight give up. */
  gone: AbortController;
  stats: { kernels: number; runs: number; failures: number; requeues: number; capacity: number };
}

/** No server can take kernels any more: the sweep stops (exit 2) and the rest stays not_started. */
export class NoUsableServerError extends JupyterError {
  constructor(detail: string) {
    super(`no usable Jupyter server left: ${detail}`, { exitCode: 2 });
  }
}

export interface SchedulerHooks {
  /** GET /api within the probe timeout: true when the server answers. */
  probe(server: JupyterServer): Promise<boolean>;
  /** A fresh connection for a server that answers again (new health watch). */
  reconnect(entry: ServerEntry): Promise<JupyterServer>;
  /** Fails every session on a server now (its runs get a ServerLostError). */
  abandon(server: JupyterServer, why: string): void;
  deleteKernel(server: JupyterServer, kernelId: string): Promise<void>;
  /** One line for the console: a server went down, came back, was retired. */
  notify(message: string): void;
}

export interface Lease {
  readonly entry: ServerEntry;
  readonly server: JupyterServer;
  kernelId?: string;
  /** The device group this kernel gets (CUDA_VISIBLE_DEVICES), when the server lists `resources`. */
  readonly devices?: string[];
  /** Gives the slot back; idempotent. */
  release(): void;
}

interface Waiter {
  avoid?: string;
  resolve(l: Lease): void;
  reject(e: unknown): void;
}

export class ServerScheduler {
  readonly entries: ServerEntry[];
  private waiters: Waiter[] = [];
  private leases = new Set<Lease>();
  private timer?: NodeJS.Timeout;
  private capTimer?: NodeJS.Timeout;
  private probing = new Set<ServerEntry>();
  private stopped = false;
  private keepAlive?: NodeJS.Timeout;

  constructor(
    servers: { name: string; server: JupyterServer; slots: number; devices?: string[][] }[],
    private readonly timing: PoolTiming,
    private readonly hooks: SchedulerHooks,
  ) {
    this.entries = servers.map((s) => ({
      name: s.name,
      server: s.server,
      slots: s.slots,
      kernels: 0,
      state: 'up',
      failuresInRow: 0,
      missedProbes: 0,
      orphans: new Set(),
      devices: s.devices?.length ? s.devices : undefined,
      devicesInUse: new Set(),
      gone: new AbortController(),
      stats: { kernels: 0, runs: 0, failures: 0, requeues: 0, capacity: 0 },
    }));
  }

  get totalSlots(): number {
    return this.entries.reduce((n, e) => n + e.slots, 0);
  }

  entryOf(server: JupyterServer): ServerEntry | undefined {
    return this.entries.find((e) => e.server === server);
  }

  /** Waits for a slot on an up server; `avoid` (a server name) is passed over while another server can serve. */
  acquire(opts: { avoid?: string; signal?: AbortSignal } = {}): Promise<Lease> {
    if (this.entries.every((e) => e.state === 'retired')) return Promise.reject(this.noServer());
    return new Promise<Lease>((resolve, reject) => {
      const w: Waiter = { avoid: opts.avoid, resolve, reject };
      if (opts.signal) {
        if (opts.signal.aborted) return reject(opts.signal.reason);
        opts.signal.addEventListener('abort', () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) {
            this.waiters.splice(i, 1);
            this.holdWhileWaiting();
            reject(new JupyterError('stopped while waiting for a free server slot'));
          }
        });
      }
      this.waiters.push(w);
      this.dispatch();
    });
  }

  /** The probe timers do not hold the process open; a run waiting for a slot must (else Node exits 13). */
  private holdWhileWaiting(): void {
    if (this.waiters.length > 0 && !this.stopped) this.keepAlive ??= setInterval(() => undefined, 1000);
    else if (this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  private room(e: ServerEntry, now = Date.now()): number {
    if (e.state !== 'up') return 0;
    const limit = e.capUntil !== undefined && e.capUntil > now ? Math.min(e.slots, e.cap ?? 0) : e.slots;
    return limit - e.kernels;
  }

  private pick(avoid: string | undefined): ServerEntry | undefined {
    let best: ServerEntry | undefined;
    let bestFree = -Infinity;
    for (const e of this.entries) {
      const free = this.room(e);
      if (free <= 0 || e.name === avoid) continue;
      // The emptiest server by share of its budget.
      const share = free / e.slots;
      if (share > bestFree) {
        best = e;
        bestFree = share;
      }
    }
    if (best) return best;
    // The avoided server only when no other server could ever take the retry.
    const a = this.entries.find((e) => e.name === avoid);
    if (a && this.room(a) > 0 && !this.entries.some((e) => e !== a && e.state === 'up')) return a;
    return undefined;
  }

  private dispatch(): void {
    if (this.entries.every((e) => e.state === 'retired')) {
      const err = this.noServer();
      for (const w of this.waiters.splice(0)) w.reject(err);
      this.holdWhileWaiting();
      return;
    }
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      const e = this.pick(w.avoid);
      if (!e) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      w.resolve(this.lease(e));
    }
    // While a run waits for a server to come back, the probes are what will wake it: they
    // must keep the process alive (unref'd, the runner exited 13 with its run pending).
    if (this.waiters.length) this.timer?.ref();
    else this.timer?.unref();
    this.armCapTimer();
    this.holdWhileWaiting();
  }

  private lease(e: ServerEntry): Lease {
    e.kernels++;
    e.stats.kernels++;
    let done = false;
    // The lowest free group, held until the kernel is shut down. There is one per slot at
    // least (the servers file is refused otherwise), so a free slot has a free group.
    let group: number | undefined = e.devices?.findIndex((_, i) => !e.devicesInUse.has(i));
    if (group !== undefined && group < 0) group = undefined;
    if (group !== undefined) e.devicesInUse.add(group);
    const lease: Lease = {
      entry: e,
      server: e.server,
      devices: group === undefined ? undefined : e.devices![group],
      release: () => {
        if (done) return;
        done = true;
        this.leases.delete(lease);
        e.kernels--;
        if (group !== undefined) e.devicesInUse.delete(group);
        // Shut down while the server was unreachable: the kernel may still be there.
        if (lease.kernelId && (e.state !== 'up' || lease.server !== e.server)) e.orphans.add(lease.kernelId);
        this.dispatch();
      },
    };
    this.leases.add(lease);
    return lease;
  }

  /** A run finished on this server (whatever the notebook did): the server works. */
  succeeded(e: ServerEntry): void {
    e.failuresInRow = 0;
    e.stats.runs++;
  }

  /** A server problem (refused, 5xx, start timeout, lost): counts toward retirement. */
  failed(e: ServerEntry, why: string, requeued: boolean): void {
    e.failuresInRow++;
    e.stats.failures++;
    if (requeued) e.stats.requeues++;
    if (e.state !== 'retired' && e.failuresInRow >= this.timing.maxFailures) this.retire(e, `${e.failuresInRow} server problems in a row, the last: ${why}`);
  }

  /** "Resource Limit": hold at most what the server has now, for a while. */
  full(e: ServerEntry): void {
    e.stats.capacity++;
    e.cap = Math.max(0, e.kernels - 1); // the refused start still holds its lease here
    e.capUntil = Date.now() + this.timing.backoffSec * 1000;
    this.armCapTimer();
  }

  retire(e: ServerEntry, why: string): void {
    if (e.state === 'retired') return;
    e.state = 'retired';
    e.retiredWhy = why;
    e.gone.abort(why);
    this.hooks.notify(`server ${e.name} retired: ${why}`);
    this.hooks.abandon(e.server, `retired: ${why}`);
    this.dispatch();
  }

  /** A run left this server for another without spending a retry. */
  requeued(e: ServerEntry): void {
    e.stats.requeues++;
  }

  /** Missed probes or a lost connection: one server problem, however many runs it held. */
  markDown(e: ServerEntry, why: string): void {
    if (e.state !== 'up') return;
    e.failuresInRow++;
    e.stats.failures++;
    if (e.failuresInRow >= this.timing.maxFailures) return this.retire(e, `down ${e.failuresInRow} times in a row, the last: ${why}`);
    e.state = 'down';
    e.downSince = Date.now();
    e.gone.abort(why);
    for (const l of this.leases) if (l.entry === e && l.kernelId) e.orphans.add(l.kernelId);
    this.hooks.notify(`server ${e.name} is down (${why}): its runs go elsewhere`);
    this.hooks.abandon(e.server, why);
    this.dispatch();
  }

  get settings(): Readonly<PoolTiming> {
    return this.timing;
  }

  /** One probe now (after a lost connection: is it the server or the kernel?). */
  answers(server: JupyterServer): Promise<boolean> {
    return this.hooks.probe(server).catch(() => false);
  }

  /** Probes every server that is not retired, every probe interval, until stop(). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      for (const e of this.entries) if (e.state !== 'retired' && !this.probing.has(e)) void this.probeOne(e);
    }, this.timing.probeIntervalSec * 1000);
    this.timer.unref();
  }

  private async probeOne(e: ServerEntry): Promise<void> {
    this.probing.add(e);
    try {
      const ok = await this.hooks.probe(e.server).catch(() => false);
      if (this.stopped || e.state === 'retired') return;
      if (!ok) {
        e.missedProbes++;
        if (e.state === 'up' && e.missedProbes >= this.timing.missedProbes) this.markDown(e, `${e.missedProbes} health probes missed`);
        else if (e.state === 'down' && Date.now() - e.downSince! > this.timing.retireAfterSec * 1000) {
          this.retire(e, `down for more than ${this.timing.retireAfterSec}s`);
        }
        return;
      }
      e.missedProbes = 0;
      if (e.state === 'down') await this.readmit(e);
    } finally {
      this.probing.delete(e);
    }
  }

  private async readmit(e: ServerEntry): Promise<void> {
    let fresh: JupyterServer;
    try {
      fresh = await this.hooks.reconnect(e);
    } catch {
      return; // answers /api but not yet usable: the next probe tries again
    }
    if (this.stopped || e.state !== 'down') return;
    const orphans = [...e.orphans];
    e.orphans.clear();
    await Promise.all(orphans.map((id) => this.hooks.deleteKernel(fresh, id).catch(() => undefined)));
    e.server = fresh;
    e.gone = new AbortController();
    e.state = 'up';
    e.downSince = undefined;
    this.hooks.notify(`server ${e.name} answers again: re-admitted${orphans.length ? `, ${orphans.length} orphaned kernel(s) deleted` : ''}`);
    this.dispatch();
  }

  private armCapTimer(): void {
    if (this.capTimer || !this.waiters.length) return;
    const now = Date.now();
    const next = Math.min(...this.entries.map((e) => (e.capUntil && e.capUntil > now && e.state === 'up' ? e.capUntil : Infinity)));
    if (next === Infinity) return;
    this.capTimer = setTimeout(() => {
      this.capTimer = undefined;
      this.dispatch();
    }, next - now + 5);
    this.capTimer.unref();
  }

  /** Every server is retired: nothing can run any more. */
  get exhausted(): boolean {
    return this.entries.every((e) => e.state === 'retired');
  }

  describeRetired(): string {
    return this.entries.map((e) => `${e.name}: ${e.retiredWhy ?? e.state}`).join('; ');
  }

  private noServer(): NoUsableServerError {
    return new NoUsableServerError(this.describeRetired());
  }

  /** Retires nothing, fails every waiting request: the sweep is over. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.capTimer) clearTimeout(this.capTimer);
    for (const w of this.waiters.splice(0)) w.reject(new JupyterError('the sweep is over'));
    this.holdWhileWaiting();
  }

  /** For sweep.json: one row per server. */
  table(): Record<string, unknown>[] {
    return this.entries.map((e) => ({
      name: e.name,
      url: e.server.label,
      kind: e.server.kind ?? (e.server.isGateway ? 'gateway' : 'jupyter_server'),
      version: e.server.version,
      slots: e.slots,
      kernels_started: e.stats.kernels,
      runs: e.stats.runs,
      failures: e.stats.failures,
      requeues: e.stats.requeues,
      resource_limits: e.stats.capacity,
      state: e.state,
      retired: e.state === 'retired' ? e.retiredWhy : undefined,
      // Kernels it may still hold that the runner could not shut down; the next sweep into this dst_dir deletes them.
      orphans: e.orphans.size ? [...e.orphans] : undefined,
    }));
  }

  /** Orphans a previous sweep recorded (sweep.json): deleted now where the server is up, else when it is re-admitted. */
  async inherit(rows: { name?: string; url?: string; orphans?: string[] }[]): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const row of rows) {
      const e = this.entries.find((x) => x.name === row.name && x.server.label === row.url);
      if (!e || !Array.isArray(row.orphans)) continue;
      for (const id of row.orphans) {
        if (typeof id !== 'string') continue;
        if (e.state === 'up') work.push(this.hooks.deleteKernel(e.server, id).catch(() => e.orphans.add(id)));
        else e.orphans.add(id);
      }
    }
    await Promise.all(work);
  }
}

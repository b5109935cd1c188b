// The servers one caller (a `run`, a `check`) runs kernels on. The caller builds the pool
// and stops it; a sweep receives it. A run takes the least busy server, so several servers
// share a sweep without extra logic upstream. The pool owns the registry of every kernel
// and server process it started (OwnedProcesses), which the CLI's exit paths kill.
// A lost server takes no more runs. The embedded server may be restarted (once, by
// default) in its place; when no server is left, the pool is exhausted.
import type { ServerLostError } from './health.js';
import { KernelSession, reapOwnKernels, type StartKernelOptions } from './kernelSession.js';
//
// With a scheduler (remote servers), kernels for runs go through startScheduled: the
// scheduler picks the server, counts the kernel against its slots until it is shut
// down, and learns from each start failure what the server's trouble is.
import { KernelStartError } from './kernelStart.js';
import { OwnedProcesses } from './processes.js';
import type { ServerEntry, ServerScheduler } from './scheduler.js';
import type { JupyterServer } from './server.js';

/** Opens the pool's servers; told of spawned processes through `processes`. */
export type ServerOpener = (processes: OwnedProcesses) => Promise<JupyterServer[]>;

export interface ServerPoolOptions {
  /** Starts a replacement for a lost embedded server (only those: a remote one is not the runner's to restart); undefined = no restarts. */
  restart?: (lost: JupyterServer, processes: OwnedProcesses) => Promise<JupyterServer>;
  /** How many replacements restart() may start in all (default 1). */
  maxRestarts?: number;
}

export class ServerPool {
  readonly processes = new OwnedProcesses();
  private readonly opener?: ServerOpener;
  private list?: JupyterServer[];
  private opening?: Promise<JupyterServer[]>;
  private readonly active = new Map<JupyterServer, number>();
  private restartsLeft: number;
  private restarting?: Promise<JupyterServer | undefined>;
  private readonly lostListeners = new Set<(err: ServerLostError, restarting: boolean) => void>();
  private readonly exhaustedListeners = new Set<(err: ServerLostError) => void>();
  /** Every server the pool ever held (lost ones too), so stopAll() reaches them all. */
  private readonly all: JupyterServer[] = [];
  /** Set by the opener for remote servers. */
  scheduler?: ServerScheduler;
  /** Where the scheduler's one-line news goes (a server down, back, retired): the sweep's warnings. */
  notify: (message: string) => void = () => undefined;
  /** Live sessions per server, so a server given up on can fail them at once. */
  private sessions = new Map<JupyterServer, Set<KernelSession>>();

  /** Servers already running, or an opener run on the first open() (so a dry run never starts one). */
  constructor(
    source: readonly JupyterServer[] | ServerOpener,
    private readonly opts: ServerPoolOptions = {},
  ) {
    this.restartsLeft = opts.restart ? (opts.maxRestarts ?? 1) : 0;
    if (typeof source === 'function') this.opener = source;
    else this.adopt([...source]);
  }

  private adopt(servers: JupyterServer[]): JupyterServer[] {
    if (servers.length === 0) throw new Error('a server pool needs at least one server');
    for (const s of servers) this.watch(s);
    this.list = servers;
    return servers;
  }

  private watch(s: JupyterServer): void {
    this.active.set(s, 0);
    this.all.push(s);
    s.health.onLost((err) => this.lost(s, err));
  }

  private lost(s: JupyterServer, err: ServerLostError): void {
    const restarting = this.restartsLeft > 0 && !this.restarting && s.kernelspecDir !== undefined;
    for (const fn of [...this.lostListeners]) fn(err, restarting);
    if (!restarting) return this.checkExhausted(err);
    this.restartsLeft--;
    this.restarting = this.opts.restart!(s, this.processes).then(
      (fresh) => {
        this.list = this.list!.map((x) => (x === s ? fresh : x));
        this.watch(fresh);
        return fresh;
      },
      () => undefined,
    );
    void this.restarting.then((fresh) => {
      this.restarting = undefined;
      if (!fresh) this.checkExhausted(err);
    });
  }

  private checkExhausted(err: ServerLostError): void {
    if (this.scheduler) return;
    if (this.restarting || this.healthy.length > 0) return;
    // At once, so no further run starts (a running cell that sees the stop first still fails as lost).
    for (const fn of [...this.exhaustedListeners]) fn(err);
  }

  /** Told of every lost server, and whether a replacement is being started. */
  onLost(fn: (err: ServerLostError, restarting: boolean) => void): () => void {
    this.lostListeners.add(fn);
    return () => this.lostListeners.delete(fn);
  }

  /** Told once no server is left (every one lost, restarts spent). */
  onExhausted(fn: (err: ServerLostError) => void): () => void {
    this.exhaustedListeners.add(fn);
    return () => this.exhaustedListeners.delete(fn);
  }

  /** The servers not lost. */
  get healthy(): JupyterServer[] {
    return (this.list ?? []).filter((s) => !s.health.lost);
  }

  /** The error that ended the last server, when none is left (and none is being restarted). */
  get exhausted(): ServerLostError | undefined {
    // With a scheduler a lost server is only down until it answers; the scheduler says when none is left.
    if (this.scheduler) return undefined;
    if (!this.list || this.restarting || this.healthy.length > 0) return undefined;
    return this.list.find((s) => s.health.lost)?.health.lost;
  }

  /** Starts (or connects to) the servers once; later calls share the first call's result. */
  async open(): Promise<void> {
    if (this.list) return;
    this.opening ??= this.opener!(this.processes).then((s) => this.adopt(s));
    await this.opening;
  }

  get isOpen(): boolean {
    return this.list !== undefined;
  }

  get servers(): readonly JupyterServer[] {
    if (!this.list) throw new Error('the server pool is not open');
    return this.list;
  }

  get primary(): JupyterServer {
    return this.scheduler?.entries.find((e) => e.state === 'up')?.server ?? this.healthy[0] ?? this.servers[0]!;
  }

  /** Runs fn on the least busy server that is not lost (waiting for a restart in progress); with a scheduler, the first that is up. */
  async use<T>(fn: (server: JupyterServer) => Promise<T>): Promise<T> {
    if (this.scheduler) return this.useOn(this.primary, fn);
    if (this.restarting) await this.restarting;
    const candidates = this.healthy;
    if (candidates.length === 0) throw this.exhausted ?? this.servers[0]!.health.lost!;
    let best = candidates[0]!;
    for (const s of candidates) if (this.active.get(s)! < this.active.get(best)!) best = s;
    return this.useOn(best, fn);
  }

  /** Runs fn on a given server of the pool (one whose kernel a run already holds), counting it as busy meanwhile. */
  async useOn<T>(server: JupyterServer, fn: (server: JupyterServer) => Promise<T>): Promise<T> {
    this.active.set(server, (this.active.get(server) ?? 0) + 1);
    try {
      return await fn(server);
    } finally {
      this.active.set(server, this.active.get(server)! - 1);
    }
  }

  /** Starts a kernel on `server`, known to this pool's exit paths until it is shut down. */
  startSession(server: JupyterServer, opts: StartKernelOptions): Promise<KernelSession> {
    return KernelSession.start(server, { ...opts, processes: this.processes });
  }

  /**
   * Starts a kernel for a run on a server with a free slot (waiting for one), avoiding
   * `avoid` (the server a failed attempt ran on) while another can take it.
   */
  async startScheduled(options: (server: JupyterServer) => StartKernelOptions, opts: { avoid?: JupyterServer; signal?: AbortSignal } = {}): Promise<KernelSession> {
    if (!this.scheduler) return this.use((server) => this.startSession(server, options(server)));
    const avoid = opts.avoid && this.scheduler.entryOf(opts.avoid)?.name;
    const lease = await this.scheduler.acquire({ avoid, signal: opts.signal });
    let session: KernelSession;
    const base = options(lease.server);
    // The server's own device group for this slot wins over the sweep's --resources.
    const starting = this.startSession(lease.server, lease.devices ? { ...base, env: { ...base.env, CUDA_VISIBLE_DEVICES: lease.devices.join(',') } } : base);
    try {
      session = await untilGone(starting, lease.entry);
    } catch (err) {
      // A start the server finishes after it was given up on must not leave its kernel.
      void starting.then((late) => late.shutdownSoon(), () => undefined);
      if (err instanceof KernelStartError) err.serverName ??= lease.entry.name;
      this.startFailed(lease.entry, err);
      lease.release();
      throw err;
    }
    lease.kernelId = session.kernelId;
    const live = this.sessions.get(lease.server) ?? new Set();
    this.sessions.set(lease.server, live.add(session));
    session.onClosed((confirmed) => {
      live.delete(session);
      if (!confirmed) lease.entry.orphans.add(session.kernelId);
      lease.release();
    });
    return session;
  }

  private startFailed(entry: ServerEntry, err: unknown): void {
    if (entry.gone.signal.aborted) return; // already counted as the server's going down
    const problem = err instanceof KernelStartError ? err.problem : undefined;
    if (problem === 'unusable') this.scheduler!.retire(entry, (err as Error).message);
    else if (problem === 'capacity') this.scheduler!.full(entry);
    else if (problem === 'server') this.scheduler!.failed(entry, (err as Error).message, true);
  }

  /** Fails every session on `server` now (the scheduler gave up on it). */
  abandon(server: JupyterServer): void {
    for (const s of this.sessions.get(server) ?? []) s.abandon();
  }

  /** The scheduler's entry for a server, when the pool schedules. */
  entryOf(server: JupyterServer): ServerEntry | undefined {
    return this.scheduler?.entryOf(server);
  }

  /** The emergency exit: kills every kernel and embedded server this pool started, now. */
  killAllSync(): void {
    this.processes.killAllSync();
  }

  /** Stops every server the pool opened (remote ones are left running); a pool never opened has nothing to stop. */
  async stopAll(): Promise<void> {
    this.scheduler?.stop();
    if (!this.list && this.opening) await this.opening.catch(() => undefined);
    if (!this.list) return;
    await this.restarting;
    // A server the runner does not own keeps running: leave none of the runner's kernels on it.
    await Promise.all(this.all.filter((s) => !s.kernelspecDir).map((s) => reapOwnKernels(s)));
    await Promise.all(this.all.map((s) => s.stop()));
  }
}

/** Rejects with a server problem as soon as the entry's server goes down or is retired. */
function untilGone<T>(p: Promise<T>, entry: ServerEntry): Promise<T> {
  const signal = entry.gone.signal;
  if (signal.aborted) return Promise.reject(new KernelStartError(`server ${entry.name} went away: ${String(signal.reason)}`, 'server'));
  return new Promise<T>((resolve, reject) => {
    const onGone = () => reject(new KernelStartError(`server ${entry.name} went away while a kernel started: ${String(signal.reason)}`, 'server'));
    signal.addEventListener('abort', onGone, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onGone));
  });
}

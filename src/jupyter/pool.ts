// The servers one caller (a `run`, a `check`) runs kernels on. The caller builds the pool
// and stops it; a sweep receives it. A run takes the least busy server, so several servers
// share a sweep without extra logic upstream. The pool owns the registry of every kernel
// and server process it started (OwnedProcesses), which the CLI's exit paths kill.
// A lost server takes no more runs. The embedded server may be restarted (once, by
// default) in its place; when no server is left, the pool is exhausted.
import type { ServerLostError } from './health.js';
import { KernelSession, reapOwnKernels, type StartKernelOptions } from './kernelSession.js';
import { OwnedProcesses } from './processes.js';
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
    return this.healthy[0] ?? this.servers[0]!;
  }

  /** Runs fn on the least busy server that is not lost (waiting for a restart in progress). */
  async use<T>(fn: (server: JupyterServer) => Promise<T>): Promise<T> {
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

  /** The emergency exit: kills every kernel and embedded server this pool started, now. */
  killAllSync(): void {
    this.processes.killAllSync();
  }

  /** Stops every server the pool opened (remote ones are left running); a pool never opened has nothing to stop. */
  async stopAll(): Promise<void> {
    if (!this.list && this.opening) await this.opening.catch(() => undefined);
    if (!this.list) return;
    await this.restarting;
    // A server the runner does not own keeps running: leave none of the runner's kernels on it.
    await Promise.all(this.all.filter((s) => !s.kernelspecDir).map((s) => reapOwnKernels(s)));
    await Promise.all(this.all.map((s) => s.stop()));
  }
}

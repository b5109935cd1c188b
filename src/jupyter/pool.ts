// The servers one caller (a `run`, a `check`) runs kernels on. The caller builds the pool
// and stops it; a sweep receives it. A run takes the least busy server, so several servers
// share a sweep without extra logic upstream. The pool owns the registry of every kernel
// and server process it started (OwnedProcesses), which the CLI's exit paths kill.
import { KernelSession, type StartKernelOptions } from './kernelSession.js';
import { OwnedProcesses } from './processes.js';
import type { JupyterServer } from './server.js';

/** Opens the pool's servers; told of spawned processes through `processes`. */
export type ServerOpener = (processes: OwnedProcesses) => Promise<JupyterServer[]>;

export class ServerPool {
  readonly processes = new OwnedProcesses();
  private readonly opener?: ServerOpener;
  private list?: JupyterServer[];
  private opening?: Promise<JupyterServer[]>;
  private readonly active = new Map<JupyterServer, number>();

  /** Servers already running, or an opener run on the first open() (so a dry run never starts one). */
  constructor(source: readonly JupyterServer[] | ServerOpener) {
    if (typeof source === 'function') this.opener = source;
    else this.adopt([...source]);
  }

  private adopt(servers: JupyterServer[]): JupyterServer[] {
    if (servers.length === 0) throw new Error('a server pool needs at least one server');
    for (const s of servers) this.active.set(s, 0);
    this.list = servers;
    return servers;
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
    return this.servers[0]!;
  }

  /** Runs fn on the least busy server. */
  use<T>(fn: (server: JupyterServer) => Promise<T>): Promise<T> {
    let best = this.servers[0]!;
    for (const s of this.servers) if (this.active.get(s)! < this.active.get(best)!) best = s;
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
    await Promise.all(this.list.map((s) => s.stop()));
  }
}

// The servers one sweep runs on. Today it usually holds one; a run takes the least
// busy server, so several remote servers share a sweep without extra logic upstream.
import type { JupyterServer } from './server.js';

export class ServerPool {
  private active = new Map<JupyterServer, number>();

  constructor(readonly servers: JupyterServer[]) {
    if (servers.length === 0) throw new Error('a server pool needs at least one server');
    for (const s of servers) this.active.set(s, 0);
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

  get primary(): JupyterServer {
    return this.servers[0]!;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }
}

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
  async use<T>(fn: (server: JupyterServer) => Promise<T>): Promise<T> {
    let best = this.servers[0]!;
    for (const s of this.servers) if (this.active.get(s)! < this.active.get(best)!) best = s;
    this.active.set(best, this.active.get(best)! + 1);
    try {
      return await fn(best);
    } finally {
      this.active.set(best, this.active.get(best)! - 1);
    }
  }

  get primary(): JupyterServer {
    return this.servers[0]!;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }

  killAllSync(): void {
    for (const s of this.servers) s.killSync();
  }
}

// Every kernel session and embedded server one server pool started, for the exit paths
// where nothing can be awaited (a second Ctrl-C, a crash): kill them all synchronously.
// The pool owns one; the CLI's signal and exit handlers reach it through the pool.
import type { ChildProcess } from 'node:child_process';

export interface KillableSync {
  killSync(): void;
}

export class OwnedProcesses {
  private readonly sessions = new Set<KillableSync>();
  private readonly servers = new Set<ChildProcess>();

  /** A kernel session, known here until its shutdown has ended. */
  addSession(session: KillableSync): () => void {
    this.sessions.add(session);
    return () => this.sessions.delete(session);
  }

  /** An embedded server's process (a group leader), known here until it exits. */
  addServer(child: ChildProcess): void {
    if (child.pid === undefined) return;
    this.servers.add(child);
    child.on('exit', () => this.servers.delete(child));
  }

  get size(): number {
    return this.sessions.size + this.servers.size;
  }

  /** Kills every kernel by pid, then every embedded server by process group. */
  killAllSync(): void {
    for (const s of this.sessions) s.killSync();
    for (const child of this.servers) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

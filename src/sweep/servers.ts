// The server pool for a sweep (or a check): the remote server the user named, else one
// embedded server, started on the pool's first open() and stopped by the pool's owner.
// The embedded server is restarted once if it dies mid-sweep; a lost remote server is not replaced.
import { connectRemoteServer, resolveRemoteSettings, ServerPool, startEmbeddedServer, type OwnedProcesses } from '../jupyter/index.js';
import type { EngineOptions } from './options.js';

export function createServerPool(opts: Pick<EngineOptions, 'serverUrl' | 'token' | 'jupyterCommand' | 'startTimeoutSec' | 'verbose' | 'serverGraceSec'>): ServerPool {
  const embedded = (processes: OwnedProcesses) =>
    startEmbeddedServer({
      command: opts.jupyterCommand,
      startTimeoutSec: opts.startTimeoutSec,
      graceSec: opts.serverGraceSec,
      onLog: opts.verbose ? (l) => process.stderr.write(`[jupyter] ${l}\n`) : undefined,
      processes,
    });
  return new ServerPool(
    async (processes) => {
      const remote = resolveRemoteSettings({ serverUrl: opts.serverUrl, token: opts.token });
      if (remote) return [await connectRemoteServer(remote, { graceSec: opts.serverGraceSec })];
      return [await embedded(processes)];
    },
    { restart: (_lost, processes) => embedded(processes), maxRestarts: 1 },
  );
}

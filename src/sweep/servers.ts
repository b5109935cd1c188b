// The server pool for a sweep (or a check): the remote server the user named, else one
// embedded server, started on the pool's first open() and stopped by the pool's owner.
import { connectRemoteServer, resolveRemoteSettings, ServerPool, startEmbeddedServer } from '../jupyter/index.js';
import type { EngineOptions } from './options.js';

export function createServerPool(opts: Pick<EngineOptions, 'serverUrl' | 'token' | 'jupyterCommand' | 'startTimeoutSec' | 'verbose'>): ServerPool {
  return new ServerPool(async (processes) => {
    const remote = resolveRemoteSettings({ serverUrl: opts.serverUrl, token: opts.token });
    if (remote) return [await connectRemoteServer(remote)];
    const server = await startEmbeddedServer({
      command: opts.jupyterCommand,
      startTimeoutSec: opts.startTimeoutSec,
      onLog: opts.verbose ? (l) => process.stderr.write(`[jupyter] ${l}\n`) : undefined,
      processes,
    });
    return [server];
  });
}

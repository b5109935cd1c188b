// The server pool for a sweep: the remote server(s) the user named, else one
// embedded server the runner starts now and stops at the end.
import { connectRemoteServer, resolveRemoteSettings, ServerPool, startEmbeddedServer } from '../jupyter/index.js';
import type { SweepOptions } from './options.js';

export async function openServerPool(opts: Pick<SweepOptions, 'serverUrl' | 'token' | 'jupyterCommand' | 'startTimeoutSec' | 'verbose'>): Promise<ServerPool> {
  const remote = resolveRemoteSettings({ serverUrl: opts.serverUrl, token: opts.token });
  if (remote) return new ServerPool([await connectRemoteServer(remote)]);
  const server = await startEmbeddedServer({
    command: opts.jupyterCommand,
    startTimeoutSec: opts.startTimeoutSec,
    onLog: opts.verbose ? (l) => process.stderr.write(`[jupyter] ${l}\n`) : undefined,
  });
  return new ServerPool([server]);
}

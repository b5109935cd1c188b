// The server pool for a sweep (or a check): the remote servers the user named
// (--servers FILE, or --server_url, repeatable, else JUPYTER_SERVER_URL / .env), else one
// embedded server, started on the pool's first open() and stopped by the pool's owner.
// The embedded server is restarted once if it dies mid-sweep; remote servers are
// watched by the pool's scheduler (down, re-admitted, retired).
import { availableParallelism } from 'node:os';
import {
  connectRemoteServer,
  DEFAULT_TIMING,
  loadServersFile,
  openRemoteServers,
  resolveRemoteSettings,
  ServerPool,
  specsFromUrls,
  startEmbeddedServer,
  type OwnedProcesses,
  type PoolTiming,
  type ServerSpec,
} from '../jupyter/index.js';
import { UsageError } from '../errors.js';
import type { EngineOptions, SweepOptions } from './options.js';

type PoolOptions = Pick<EngineOptions, 'serverUrls' | 'serversFile' | 'token' | 'jupyterCommand' | 'startTimeoutSec' | 'verbose' | 'serverGraceSec'> &
  Partial<Pick<SweepOptions, 'numThreads' | 'numThreadsGiven'>>;

export function createServerPool(opts: PoolOptions): ServerPool {
  const embedded = (processes: OwnedProcesses) =>
    startEmbeddedServer({
      command: opts.jupyterCommand,
      startTimeoutSec: opts.startTimeoutSec,
      graceSec: opts.serverGraceSec,
      onLog: opts.verbose ? (l) => process.stderr.write(`[jupyter] ${l}\n`) : undefined,
      processes,
    });
  const pool: ServerPool = new ServerPool(
    async (processes) => {
      // One server (--server_url once, or JUPYTER_SERVER_URL): no scheduler; if it is lost,
      // no server is left, so the sweep ends at once (exit 2) instead of waiting for it.
      if (!opts.serversFile && (opts.serverUrls?.length ?? 0) <= 1) {
        const one = resolveRemoteSettings({ serverUrl: opts.serverUrls?.[0], token: opts.token });
        if (one) return [await connectRemoteServer(one, { graceSec: opts.serverGraceSec })];
      }
      const remote = remoteSpecs(opts);
      if (remote) {
        // Without slots a server takes an equal share of --num_threads, else as many as this machine has cores.
        const n = remote.specs.length;
        const share = opts.numThreadsGiven && opts.numThreads ? Math.max(1, Math.ceil(opts.numThreads / n)) : availableParallelism();
        return openRemoteServers(remote.specs, { timing: remote.timing, defaultSlots: share, graceSec: opts.serverGraceSec, notify: (m) => pool.notify(m) }, pool);
      }
      return [await embedded(processes)];
    },
    { restart: (_lost, processes) => embedded(processes), maxRestarts: 1 },
  );
  return pool;
}

function remoteSpecs(opts: PoolOptions): { specs: ServerSpec[]; timing: PoolTiming } | undefined {
  if (opts.serversFile && opts.serverUrls?.length) throw new UsageError('give --servers or --server_url, not both');
  if (opts.serversFile) {
    const { servers, timing } = loadServersFile(opts.serversFile);
    return { specs: servers, timing };
  }
  // A URL's own ?token= wins over --token / JUPYTER_TOKEN.
  if (opts.serverUrls && opts.serverUrls.length > 1) return { specs: specsFromUrls(opts.serverUrls, opts.token ?? process.env.JUPYTER_TOKEN ?? ''), timing: DEFAULT_TIMING };
  return undefined;
}

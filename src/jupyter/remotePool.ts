// A pool over servers the runner does not own (--server_url, repeated, or --servers):
// each is connected (and its kind detected) up front; one that does not answer yet
// starts `down`, to be admitted when its probes succeed. At least one must answer.
import { JupyterError } from '../errors.js';
import { KIND_LABEL, isGatewayKind } from './gateway.js';
import { ServerHealth } from './health.js';
import type { ServerPool } from './pool.js';
import { ServerScheduler } from './scheduler.js';
import type { JupyterServer } from './server.js';
import type { PoolTiming, ServerSpec } from './serversFile.js';
import { makeSettings, probeServer, redactUrl } from './settings.js';

export interface RemotePoolOptions {
  timing: PoolTiming;
  /** Slots of a server whose spec names none. */
  defaultSlots: number;
  notify: (message: string) => void;
  /** --server_grace: lost-server detection of each connection (health.ts). */
  graceSec?: number;
}

export async function connectSpec(spec: ServerSpec, timeoutMs = 10_000, graceSec?: number): Promise<JupyterServer> {
  const settings = makeSettings(spec.url, spec.token);
  const status = await probeServer(settings, timeoutMs);
  const health = new ServerHealth(settings, { graceSec, embedded: false });
  health.startProbing();
  const kind = spec.kind === 'gateway' && !status.isGateway ? 'kernel_gateway' : spec.kind === 'server' ? 'jupyter_server' : status.kind;
  return {
    name: spec.name,
    label: redactUrl(spec.url),
    settings,
    kind,
    isGateway: isGatewayKind(kind),
    env: spec.env,
    artifacts: spec.artifacts,
    version: `${KIND_LABEL[kind]} ${status.kindVersion}`,
    health,
    ownKernels: new Set(),
    stop: async () => health.close(),
  };
}

/** A stand-in for a server that did not answer at start: same URL and token, kind unknown until it answers. */
function unreachable(spec: ServerSpec): JupyterServer {
  const settings = makeSettings(spec.url, spec.token);
  const health = new ServerHealth(settings, { embedded: false });
  return { name: spec.name, label: redactUrl(spec.url), settings, isGateway: spec.kind === 'gateway', env: spec.env, artifacts: spec.artifacts, version: 'unknown', health, ownKernels: new Set(), stop: async () => health.close() };
}

/** Connects to the servers and gives `pool` its scheduler; returns the servers (for the pool's opener). */
export async function openRemoteServers(specs: ServerSpec[], opts: RemotePoolOptions, pool: ServerPool): Promise<JupyterServer[]> {
  const tried = await Promise.allSettled(specs.map((s) => connectSpec(s, 10_000, opts.graceSec)));
  if (tried.every((t) => t.status === 'rejected')) {
    const first = (tried[0] as PromiseRejectedResult).reason;
    if (specs.length === 1) throw first;
    throw new JupyterError(`none of the ${specs.length} servers answered: ${tried.map((t, i) => `${specs[i]!.name}: ${((t as PromiseRejectedResult).reason as Error).message}`).join('; ')}`, { exitCode: 2 });
  }
  const servers = tried.map((t, i) => (t.status === 'fulfilled' ? t.value : unreachable(specs[i]!)));
  const scheduler = new ServerScheduler(
    specs.map((spec, i) => ({ name: spec.name, server: servers[i]!, slots: spec.slots ?? opts.defaultSlots, devices: spec.resources })),
    opts.timing,
    {
      probe: async (server) => {
        try {
          const res = await fetch(server.settings.baseUrl + 'api', {
            headers: server.settings.token ? { Authorization: `token ${server.settings.token}` } : {},
            signal: AbortSignal.timeout(Math.max(500, opts.timing.probeIntervalSec * 1000)),
            cache: 'no-store',
          });
          await res.body?.cancel();
          return res.status < 500;
        } catch {
          return false;
        }
      },
      reconnect: async (entry) => {
        const fresh = await connectSpec(specs.find((s) => s.name === entry.name)!, Math.max(1000, opts.timing.probeIntervalSec * 2000), opts.graceSec);
        watch(fresh);
        return fresh;
      },
      abandon: (server, why) => {
        pool.abandon(server);
        server.health.markLost(why);
      },
      deleteKernel: async (server, id) => {
        const headers: Record<string, string> = server.settings.token ? { Authorization: `token ${server.settings.token}` } : {};
        const res = await fetch(server.settings.baseUrl + `api/kernels/${encodeURIComponent(id)}`, { method: 'DELETE', headers, signal: AbortSignal.timeout(10_000) });
        await res.body?.cancel();
      },
      notify: opts.notify,
    },
  );
  // The health watch's own verdict (no answer for --server_grace) marks the server down too.
  function watch(server: JupyterServer): void {
    server.health.onLost((err) => {
      const e = scheduler.entryOf(server);
      if (e) scheduler.markDown(e, err.why);
    });
  }
  servers.forEach((s, i) => tried[i]!.status === 'fulfilled' && watch(s));
  tried.forEach((t, i) => {
    if (t.status === 'rejected') scheduler.markDown(scheduler.entries[i]!, (t.reason as Error).message);
  });
  pool.scheduler = scheduler;
  scheduler.start();
  return servers;
}

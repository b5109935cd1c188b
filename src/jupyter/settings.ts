// Builds @jupyterlab/services connection settings for Node and checks that a server
// answers. The only place that knows the token; it never puts it in a message.
import { ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import { JupyterError } from '../errors.js';
import { detectKind, isGatewayKind, type ServerKind } from './gateway.js';

/** The backstop on every REST call the library makes; waits with tighter bounds of their own come first. */
const REST_TIMEOUT_MS = 120_000;

/** fetch with a time bound: the library's own requests (kernel model polls, restarts) carry none. */
const boundedFetch: typeof fetch = (input, init) => {
  const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
  const timeout = AbortSignal.timeout(REST_TIMEOUT_MS);
  return fetch(input, { ...init, signal: own ? AbortSignal.any([own, timeout]) : timeout });
};

export function makeSettings(baseUrl: string, token: string): ServerConnection.ISettings {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  return ServerConnection.makeSettings({
    baseUrl: base,
    wsUrl: 'ws' + base.slice(4),
    token,
    // Servers and gateways log request URLs (EG and KG with ?token= in plain text): the
    // token goes in an Authorization header, on REST requests (the library adds it) and
    // on the WebSocket upgrade (below), which jupyter_server, KG and EG all accept.
    appendToken: false,
    // ws implements the browser WebSocket interface the library expects.
    WebSocket: authWebSocket(token) as typeof globalThis.WebSocket,
    init: { cache: 'no-store' },
    fetch: boundedFetch,
  });
}

/**
 * The largest kernel message the runner takes. ws's default, 100 MiB, closed the socket
 * on one 101 MiB print and the run hung. A message is held whole in memory two or three
 * times over while it is decoded, so the limit is raised to 256 MiB, not removed, and a
 * bigger message fails its cell with a clear error (onOversizedMessage). The
 * RUN_NOTEBOOK_MAX_MESSAGE_MB variable lowers (or raises) it, e.g. on a small machine.
 */
export function maxMessageBytes(): number {
  const mb = Number(process.env.RUN_NOTEBOOK_MAX_MESSAGE_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 1024 * 1024;
}

const oversizeListeners = new Map<string, () => void>();

/** Calls fn if a message over maxMessageBytes() arrives on this kernel's WebSocket; returns the unsubscribe. */
export function onOversizedMessage(kernelId: string, fn: () => void): () => void {
  oversizeListeners.set(kernelId, fn);
  return () => oversizeListeners.delete(kernelId);
}

/** ws with the token in the upgrade request's Authorization header, and the runner's message limit. */
function authWebSocket(token: string): unknown {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: maxMessageBytes(), ...(token ? { headers: { Authorization: `token ${token}` } } : {}) });
      const kernelId = /\/api\/kernels\/([^/?]+)\/channels/.exec(String(url))?.[1];
      this.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && kernelId) oversizeListeners.get(decodeURIComponent(kernelId))?.();
      });
    }
  };
}

/** Removes credentials from a URL so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.searchParams.delete('token');
    return u.toString();
  } catch {
    return url.replace(/token=[^&]*/g, 'token=***');
  }
}

export interface ServerStatus {
  version: string;
  isGateway: boolean;
  kind: ServerKind;
  /** A gateway's own version (EG's gateway_version); else the jupyter_server version. */
  kindVersion: string;
}

/** GET /api (version) and detect a gateway; one-line errors naming the URL, never the token. */
export async function probeServer(settings: ServerConnection.ISettings, timeoutMs = 10_000): Promise<ServerStatus> {
  const label = redactUrl(settings.baseUrl);
  let res: Response;
  try {
    res = await fetchWithTimeout(settings, 'api', timeoutMs);
  } catch (err) {
    throw new JupyterError(`cannot reach the Jupyter server at ${label}: ${describeFetchError(err)}`, { cause: err });
  }
  if (res.status === 401 || res.status === 403) {
    throw new JupyterError(`the Jupyter server at ${label} refused the token (HTTP ${res.status})`);
  }
  if (!res.ok) {
    throw new JupyterError(`the Jupyter server at ${label} answered HTTP ${res.status} for /api: is this a Jupyter server URL (with its base path)?`);
  }
  let version = 'unknown';
  let gatewayVersion: string | undefined;
  try {
    const body = (await res.json()) as { version?: string; gateway_version?: string };
    version = body.version ?? 'unknown';
    gatewayVersion = body.gateway_version;
  } catch {
    throw new JupyterError(`the server at ${label} did not answer /api with JSON: is this a Jupyter server URL?`);
  }
  // Authenticated endpoint: /api itself is public, so check the token here.
  const check = await fetchWithTimeout(settings, 'api/kernelspecs', timeoutMs).catch((err) => {
    throw new JupyterError(`cannot reach the Jupyter server at ${label}: ${describeFetchError(err)}`, { cause: err });
  });
  if (check.status === 401 || check.status === 403) {
    throw new JupyterError(`the Jupyter server at ${label} refused the token (HTTP ${check.status})`);
  }
  if (!check.ok) throw new JupyterError(`the Jupyter server at ${label} answered HTTP ${check.status} for /api/kernelspecs`);
  await check.body?.cancel();
  const kind = await detectKind(settings, { gateway_version: gatewayVersion }, timeoutMs);
  return { version, isGateway: isGatewayKind(kind), kind, kindVersion: gatewayVersion ?? (kind === "kernel_gateway" ? `(jupyter_server ${version})` : version) };
}

async function fetchWithTimeout(settings: ServerConnection.ISettings, path: string, timeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = {};
  if (settings.token) headers['Authorization'] = `token ${settings.token}`;
  return fetch(settings.baseUrl + path, { headers, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError') return 'no answer (timed out)';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

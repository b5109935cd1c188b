// A server the runner does not own: --server_url/--token, else JUPYTER_SERVER_URL /
// JUPYTER_TOKEN from the environment or a .env file in the working directory.
import { parse as parseDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { KIND_LABEL } from './gateway.js';
import type { JupyterServer } from './server.js';
import { ServerHealth } from './health.js';
import { makeSettings, probeServer, redactUrl } from './settings.js';

export interface RemoteServerOptions {
  serverUrl?: string;
  token?: string;
}

export interface RemoteSettings {
  url: string;
  token: string;
}

/** Flags win over the environment, which wins over .env. Returns undefined when no server URL is set anywhere. */
export function resolveRemoteSettings(opts: RemoteServerOptions, cwd = process.cwd()): RemoteSettings | undefined {
  const dotenvPath = resolve(cwd, '.env');
  const fileEnv = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const rawUrl = opts.serverUrl ?? process.env.JUPYTER_SERVER_URL ?? fileEnv.JUPYTER_SERVER_URL;
  if (!rawUrl) return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`--server_url is not a URL: ${redactUrl(rawUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server_url must be http(s): ${redactUrl(rawUrl)}`);
  // A token pasted as part of the URL (as `jupyter server list` prints it) is accepted too.
  const urlToken = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  url.hash = '';
  const token = opts.token ?? urlToken ?? process.env.JUPYTER_TOKEN ?? fileEnv.JUPYTER_TOKEN ?? '';
  // A URL copied from the browser often ends in a front-end route, not the base path.
  url.pathname = url.pathname.replace(/\/(lab|tree)(\/.*)?$/, '/');
  let base = url.toString();
  if (!base.endsWith('/')) base += '/';
  return { url: base, token };
}

export async function connectRemoteServer(remote: RemoteSettings, opts: { graceSec?: number } = {}): Promise<JupyterServer> {
  const settings = makeSettings(remote.url, remote.token);
  const status = await probeServer(settings);
  const health = new ServerHealth(settings, { graceSec: opts.graceSec, embedded: false });
  health.startProbing();
  return {
    health,
    ownKernels: new Set(),
    label: redactUrl(remote.url),
    settings,
    isGateway: status.isGateway,
    kind: status.kind,
    version: `${KIND_LABEL[status.kind]} ${status.kindVersion}`,
    stop: async () => health.close(),
  };
}

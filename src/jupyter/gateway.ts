// What a gateway (Kernel Gateway, Enterprise Gateway) needs that a plain jupyter_server
// does not: telling which one it is, and the `env` of a kernel start request.
//
// Facts (EG 3.3, KG 3.0): EG's GET /api answers `gateway_version`, KG's does not, but KG
// serves its own API spec at /api/swagger.json ("Jupyter Kernel Gateway API"), which
// jupyter_server lacks. Both keep from `env` only KERNEL_* names and an allow-list
// (EG_CLIENT_ENVS, KG_ENV_WHITELIST); EG answers 400 for a value over 4096 characters,
// and EG's main branch also rejects `$`, backtick, CR, LF and NUL. EG refuses the user
// root unless KERNEL_USERNAME names another, and reads KERNEL_LAUNCH_TIMEOUT.
import { userInfo } from 'node:os';
import type { ServerConnection } from '@jupyterlab/services';

export type ServerKind = 'jupyter_server' | 'kernel_gateway' | 'enterprise_gateway';

export const isGatewayKind = (k: ServerKind) => k !== 'jupyter_server';

export const KIND_LABEL: Record<ServerKind, string> = {
  jupyter_server: 'jupyter_server',
  kernel_gateway: 'Kernel Gateway',
  enterprise_gateway: 'Enterprise Gateway',
};

/**
 * The kind from /api's body (already read) plus, when that does not say, one GET of
 * /api/swagger.json. Any failure of that second request means "not Kernel Gateway".
 */
export async function detectKind(settings: ServerConnection.ISettings, api: { gateway_version?: string }, timeoutMs: number): Promise<ServerKind> {
  if (api.gateway_version !== undefined) return 'enterprise_gateway';
  try {
    const headers: Record<string, string> = settings.token ? { Authorization: `token ${settings.token}` } : {};
    const res = await fetch(settings.baseUrl + 'api/swagger.json', { headers, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    if (!res.ok) {
      await res.body?.cancel();
      return 'jupyter_server';
    }
    const spec = (await res.json()) as { info?: { title?: string } };
    const title = spec.info?.title ?? '';
    if (/enterprise gateway/i.test(title)) return 'enterprise_gateway';
    if (/kernel gateway/i.test(title)) return 'kernel_gateway';
  } catch {
    /* no spec: a plain server */
  }
  return 'jupyter_server';
}

/** Characters or lengths a gateway refuses (the whole start fails), so such values stay out of `env`. */
export const MAX_GATEWAY_ENV_VALUE = 4096;
// eslint-disable-next-line no-control-regex
const REJECTED_CHARS = /[$`\r\n\0]/;

export function gatewayAccepts(value: string): boolean {
  return value.length <= MAX_GATEWAY_ENV_VALUE && !REJECTED_CHARS.test(value);
}

export interface GatewayEnvInput {
  /** The run's variables (__CONFIG_IDX__, __NOTEBOOK_CONFIG_JSON__, slot devices...). */
  run: Record<string, string>;
  /** The server's own `env` from the servers file (KERNEL_IMAGE, KERNEL_USERNAME...). */
  server?: Record<string, string>;
  startTimeoutSec?: number;
  /** The runner's environment (its KERNEL_* names are passed on). */
  processEnv?: NodeJS.ProcessEnv;
}

export interface GatewayEnv {
  env: Record<string, string>;
  /** Names left out because the gateway would reject their value; the preamble still sets them. */
  leftOut: string[];
}

/**
 * The `env` of a gateway start request. Precedence, lowest first: KERNEL_* from the
 * runner's environment, the server's env, the run's variables. KERNEL_USERNAME defaults
 * to the OS user running the runner, KERNEL_LAUNCH_TIMEOUT to --start_timeout.
 */
export function gatewayEnv(input: GatewayEnvInput): GatewayEnv {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.processEnv ?? process.env)) {
    if (k.startsWith('KERNEL_') && v) env[k] = v;
  }
  Object.assign(env, input.server ?? {}, input.run);
  env.KERNEL_USERNAME ??= osUser();
  if (input.startTimeoutSec !== undefined) env.KERNEL_LAUNCH_TIMEOUT ??= String(input.startTimeoutSec);
  const leftOut: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!gatewayAccepts(v)) {
      delete env[k];
      leftOut.push(k);
    }
  }
  return { env, leftOut };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'jovyan';
  }
}

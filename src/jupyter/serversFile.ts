// The servers a sweep may use: --server_url (repeatable, each may carry ?token=) or a
// --servers FILE (YAML or JSON) naming each server with its token's source, slots,
// kind, gateway env, devices and artifact handling. A token is never written in the
// file itself: token_env names a variable, token_file a file holding it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { redactUrl } from './settings.js';

export interface ServerSpec {
  name: string;
  /** Base URL ending in '/', without a token. */
  url: string;
  token: string;
  /** Kernels this server may hold at once (running, prefetched and shutting down); undefined = the sweep decides. */
  slots?: number;
  /** 'gateway' forces gateway handling (env in the start request); undefined = detected. */
  kind?: 'server' | 'gateway';
  env: Record<string, string>;
  /** Per-server --resources: device groups, one per slot. */
  resources?: string[][];
  /** 'none': result files are on shared storage, nothing is copied back; 'kernel': always through the kernel channel. */
  artifacts?: 'copy' | 'kernel' | 'none';
}

export interface PoolTiming {
  /** Seconds between health probes of each server while the sweep runs. */
  probeIntervalSec: number;
  /** Probes missed in a row before a server is marked down (its runs requeued). */
  missedProbes: number;
  /** Server problems in a row (failed starts, losses) before a server is retired. */
  maxFailures: number;
  /** Times one run may be requeued for server problems (it then fails). */
  maxRequeues: number;
  /** Seconds a server that answered "Resource Limit" is given fewer slots. */
  backoffSec: number;
  /** Seconds a server may stay down before it is retired for good. */
  retireAfterSec: number;
}

export const DEFAULT_TIMING: PoolTiming = { probeIntervalSec: 5, missedProbes: 3, maxFailures: 3, maxRequeues: 3, backoffSec: 5, retireAfterSec: 120 };

export interface ServersConfig {
  servers: ServerSpec[];
  timing: PoolTiming;
}

/** A URL as a user pastes it: token in ?token= (taken out), front-end routes trimmed. */
export function parseServerUrl(raw: string, what = '--server_url'): { url: string; token?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a URL: ${redactUrl(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${what} must be http(s): ${redactUrl(raw)}`);
  const token = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  url.hash = '';
  url.username = '';
  url.password = '';
  // A URL copied from the browser often ends in a front-end route, not the base path.
  url.pathname = url.pathname.replace(/\/(lab|tree)(\/.*)?$/, '/');
  let base = url.toString();
  if (!base.endsWith('/')) base += '/';
  return { url: base, token };
}

/** One spec per --server_url; a URL without ?token= gets `token` (--token, JUPYTER_TOKEN, .env). */
export function specsFromUrls(urls: string[], token: string): ServerSpec[] {
  return urls.map((raw) => {
    const p = parseServerUrl(raw);
    return { name: nameOf(p.url), url: p.url, token: p.token ?? token, env: {} };
  });
}

function nameOf(url: string): string {
  const u = new URL(url);
  return u.host + (u.pathname === '/' ? '' : u.pathname.replace(/\/$/, ''));
}

const SERVER_KEYS = new Set(['name', 'url', 'token_env', 'token_file', 'slots', 'kind', 'env', 'resources', 'artifacts']);
const TIMING_KEYS: Record<string, keyof PoolTiming> = {
  probe_interval: 'probeIntervalSec',
  missed_probes: 'missedProbes',
  max_failures: 'maxFailures',
  max_requeues: 'maxRequeues',
  backoff: 'backoffSec',
  retire_after: 'retireAfterSec',
};

export function loadServersFile(path: string, env: NodeJS.ProcessEnv = process.env): ServersConfig {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`--servers: no such file: ${path}`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--servers ${path}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseServersDoc(doc, { where: path, baseDir: dirname(file), env });
}

export function parseServersDoc(doc: unknown, ctx: { where: string; baseDir: string; env: NodeJS.ProcessEnv }): ServersConfig {
  const bad = (msg: string): never => {
    throw new UsageError(`--servers ${ctx.where}: ${msg}`);
  };
  const top = Array.isArray(doc) ? { servers: doc } : doc;
  if (!top || typeof top !== 'object') bad('expected a list of servers, or a mapping with `servers:`');
  const { servers, ...rest } = top as Record<string, unknown>;
  const timing: PoolTiming = { ...DEFAULT_TIMING };
  for (const [k, v] of Object.entries(rest)) {
    const field = TIMING_KEYS[k];
    if (!field) bad(`unknown key "${k}" (known: servers, ${Object.keys(TIMING_KEYS).join(', ')})`);
    if (typeof v !== 'number' || !(v >= 0) || (!['probeIntervalSec', 'backoffSec', 'retireAfterSec'].includes(field!) && !Number.isInteger(v))) bad(`${k} must be a number ≥ 0`);
    timing[field!] = v as number;
  }
  if (timing.probeIntervalSec <= 0) bad('probe_interval must be above 0');
  if (!Array.isArray(servers) || servers.length === 0) bad('`servers` must be a non-empty list');
  const names = new Set<string>();
  const specs = (servers as unknown[]).map((raw, i) => {
    const at = `server ${i + 1}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad(`${at}: expected a mapping with at least \`url\``);
    const s = raw as Record<string, unknown>;
    if ('token' in s) bad(`${at}: a literal token is not allowed here; use token_env (a variable's name) or token_file (a file holding it)`);
    for (const k of Object.keys(s)) if (!SERVER_KEYS.has(k)) bad(`${at}: unknown key "${k}" (known: ${[...SERVER_KEYS].join(', ')})`);
    if (typeof s.url !== 'string' || !s.url) bad(`${at}: \`url\` is missing`);
    const parsed = parseServerUrl(s.url as string, `${at}'s url`);
    if (parsed.token) bad(`${at}: the url carries ?token=; use token_env or token_file instead`);
    const name = s.name === undefined ? nameOf(parsed.url) : typeof s.name === 'string' && s.name ? s.name : bad(`${at}: \`name\` must be a string`);
    if (names.has(name)) bad(`${at}: the name "${name}" is used twice`);
    names.add(name);
    const token = tokenOf(s, name, ctx, bad);
    let slots: number | undefined;
    if (s.slots !== undefined) {
      if (typeof s.slots !== 'number' || !Number.isInteger(s.slots) || s.slots < 1) bad(`${name}: slots must be a whole number, at least 1`);
      slots = s.slots as number;
    }
    if (s.kind !== undefined && s.kind !== 'server' && s.kind !== 'gateway') bad(`${name}: kind must be "server" or "gateway"`);
    const envOut = envOf(s, name, bad);
    let resources: string[][] | undefined;
    if (s.resources !== undefined) {
      if (typeof s.resources !== 'string' || !s.resources.trim()) bad(`${name}: resources must be a string like "0,1" or "0,1;2,3"`);
      resources = parseDeviceGroups(s.resources as string);
      if (slots !== undefined && resources.length < slots) bad(`${name}: resources lists ${resources.length} device group(s) for ${slots} slots`);
      slots ??= resources.length;
    }
    if (s.artifacts !== undefined && s.artifacts !== 'copy' && s.artifacts !== 'kernel' && s.artifacts !== 'none') bad(`${name}: artifacts must be "copy", "kernel" or "none"`);
    return {
      name,
      url: parsed.url,
      token,
      slots,
      kind: s.kind as ServerSpec['kind'],
      env: envOut,
      resources,
      artifacts: s.artifacts as ServerSpec['artifacts'],
    } satisfies ServerSpec;
  });
  return { servers: specs, timing };
}

type Bad = (msg: string) => never;
type ServersCtx = { where: string; baseDir: string; env: NodeJS.ProcessEnv };

/** A server's token from token_env or token_file ('' when neither is given). */
function tokenOf(s: Record<string, unknown>, name: string, ctx: ServersCtx, bad: Bad): string {
  let token = '';
  if (s.token_env !== undefined && s.token_file !== undefined) bad(`${name}: give token_env or token_file, not both`);
  if (s.token_env !== undefined) {
    if (typeof s.token_env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.token_env)) bad(`${name}: token_env must be a variable name`);
    const v = ctx.env[s.token_env as string];
    if (v === undefined) bad(`${name}: token_env names ${s.token_env}, which is not set`);
    token = v!;
  }
  if (s.token_file !== undefined) {
    if (typeof s.token_file !== 'string') bad(`${name}: token_file must be a path`);
    const p = resolve(ctx.baseDir, s.token_file as string);
    try {
      token = readFileSync(p, 'utf8').trim();
    } catch {
      bad(`${name}: cannot read token_file ${s.token_file}`);
    }
  }
  return token;
}

/** A server's env mapping, each value as a string. */
function envOf(s: Record<string, unknown>, name: string, bad: Bad): Record<string, string> {
  const envOut: Record<string, string> = {};
  if (s.env !== undefined) {
    if (!s.env || typeof s.env !== 'object' || Array.isArray(s.env)) bad(`${name}: env must be a mapping of names to values`);
    for (const [k, v] of Object.entries(s.env as Record<string, unknown>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) bad(`${name}: env name "${k}" is not a variable name`);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') bad(`${name}: env ${k} must be a string or number`);
      envOut[k] = String(v);
    }
  }
  return envOut;
}

/** "0,1" → [["0"],["1"]]; "0,1;2,3" → [["0","1"],["2","3"]] (as --resources). */
function parseDeviceGroups(spec: string): string[][] {
  const groups = spec.includes(';') ? spec.split(';').map((g) => g.split(',')) : spec.split(',').map((d) => [d]);
  return groups.map((g) => g.map((d) => d.trim()).filter(Boolean)).filter((g) => g.length > 0);
}

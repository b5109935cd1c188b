// Servers of the scale-out tests: plain jupyter_servers, Kernel Gateway and Enterprise
// Gateway (its local process proxy), each on 127.0.0.1 at a free port with its own token,
// its log in a file, and an env marker (RN_FLEET_MARKER) that its kernels inherit, so a
// test finds exactly its own processes in /proc without matching by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, closeSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, tempDir } from './support.js';

export const MARKER_VAR = 'RN_FLEET_MARKER';

export type FleetKind = 'server' | 'kg' | 'eg';

export interface FleetServer {
  kind: FleetKind;
  /** Base URL without the token. */
  url: string;
  token: string;
  port: number;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** Sends a signal to the server process only (kernels are in their own sessions). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
  log(): string;
  /** Log size right after start-up: what came later was caused by the tests. */
  readonly logStart: number;
  logSinceStart(): string;
}

const EG_PY = join(ROOT, '.venv-eg', 'bin', 'python');
const VENV_PY = join(ROOT, '.venv', 'bin', 'python');

/** Why a kind cannot be started here, or undefined when it can. */
export function unavailable(kind: FleetKind): string | undefined {
  if (kind === 'eg' && !existsSync(join(ROOT, '.venv-eg', 'bin', 'jupyter-enterprisegateway'))) {
    return 'Enterprise Gateway is not installed (.venv-eg): run `bash scripts/setup.sh --test`';
  }
  if (kind === 'kg' && !existsSync(join(ROOT, '.venv', 'bin', 'jupyter-kernelgateway'))) {
    return 'Kernel Gateway is not installed (.venv): run `bash scripts/setup.sh --test`';
  }
  if (kind === 'server' && !existsSync(VENV_PY)) return 'no .venv: run `bash scripts/setup.sh`';
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

export interface StartOptions {
  marker: string;
  /** Extra environment for the server process (EG_MAX_KERNELS, EG_CLIENT_ENVS...). */
  env?: Record<string, string>;
  /** The server's root_dir (kernels start here with path ''); a temp folder by default. */
  rootDir?: string;
  startTimeoutMs?: number;
}

export async function startFleetServer(kind: FleetKind, opts: StartOptions): Promise<FleetServer> {
  const why = unavailable(kind);
  if (why) throw new Error(why);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const home = tempDir(`rn-fleet-${kind}-`);
  const rootDir = opts.rootDir ?? join(home, 'root');
  mkdirSync(rootDir, { recursive: true });
  const runtime = join(home, 'runtime');
  mkdirSync(runtime, { recursive: true });
  const logFile = join(home, 'server.log');
  const root = process.getuid?.() === 0 ? ['--allow-root'] : [];
  let cmd: string[];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [MARKER_VAR]: opts.marker,
    JUPYTER_RUNTIME_DIR: runtime,
    // Through the environment, never the command line (ps shows that to every user).
    JUPYTER_TOKEN: kind === 'server' ? token : '',
    PYTHONUNBUFFERED: '1',
    ...opts.env,
  };
  if (kind === 'server') {
    cmd = [VENV_PY, '-m', 'jupyter_server', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0', `--ServerApp.root_dir=${rootDir}`, ...root];
  } else if (kind === 'kg') {
    // Kernels given an env get only PATH plus KG_ENV_PROCESS_WHITELIST from the gateway.
    env.KG_ENV_PROCESS_WHITELIST = [MARKER_VAR, env.KG_ENV_PROCESS_WHITELIST].filter(Boolean).join(',');
    env.KG_AUTH_TOKEN = token;
    cmd = [VENV_PY, '-m', 'kernel_gateway', '--KernelGatewayApp.ip=127.0.0.1', `--KernelGatewayApp.port=${port}`, '--KernelGatewayApp.port_retries=0'];
  } else {
    env.EG_INHERITED_ENVS = [MARKER_VAR, 'PATH', env.EG_INHERITED_ENVS].filter(Boolean).join(',');
    env.EG_AUTH_TOKEN = token;
    cmd = [EG_PY, '-m', 'enterprise_gateway', '--EnterpriseGatewayApp.ip=127.0.0.1', `--EnterpriseGatewayApp.port=${port}`, '--EnterpriseGatewayApp.port_retries=0'];
  }
  const fd = openSync(logFile, 'a');
  // Its own process group, so a SIGSTOP or SIGKILL aimed at the server spares the test runner.
  // Not started in its root_dir, so a kernel started with path '' shows where it landed.
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: kind === 'server' ? home : rootDir, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}/`;
  const server: FleetServer = {
    kind,
    url,
    token,
    port,
    pid: child.pid!,
    logFile,
    child,
    signal: (sig) => {
      try {
        process.kill(child.pid!, sig);
      } catch {
        /* gone */
      }
    },
    log: () => readFileSync(logFile, 'utf8'),
    logStart: 0,
    logSinceStart: () => readFileSync(logFile).subarray(server.logStart).toString('utf8'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return killMarked(opts.marker, child.pid!);
      try {
        process.kill(child.pid!, 'SIGCONT');
      } catch {
        /* gone */
      }
      await deleteKernels(url, token);
      child.kill('SIGTERM');
      const exited = await Promise.race([
        new Promise<boolean>((r) => child.once('exit', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 8000)),
      ]);
      if (!exited) child.kill('SIGKILL');
      killMarked(opts.marker, child.pid!);
    },
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited during start-up:\n${server.log().slice(-2000)}`);
    try {
      const r = await fetch(url + 'api/kernelspecs', { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${kind} did not start within ${(opts.startTimeoutMs ?? 60_000) / 1000}s:\n${server.log().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  (server as { logStart: number }).logStart = statSync(logFile).size;
  return server;
}

async function deleteKernels(url: string, token: string): Promise<void> {
  const headers = { Authorization: `token ${token}` };
  try {
    const r = await fetch(url + 'api/kernels', { headers, signal: AbortSignal.timeout(3000) });
    if (!r.ok) return;
    const list = (await r.json()) as { id: string }[];
    await Promise.all(list.map((k) => fetch(url + `api/kernels/${k.id}`, { method: 'DELETE', headers, signal: AbortSignal.timeout(8000) }).catch(() => undefined)));
  } catch {
    /* down */
  }
}

/** Pids of live processes whose environment holds MARKER_VAR=marker (servers and kernels). */
export function markedProcesses(marker: string): number[] {
  const want = `${MARKER_VAR}=${marker}`;
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'latin1').split('\0');
      if (!env.includes(want)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // a zombie is gone already
      out.push(Number(d));
    } catch {
      /* exited, or not ours to read */
    }
  }
  return out;
}

/** Kernels (marked processes other than the server itself). */
export function markedKernels(marker: string, serverPids: number[]): number[] {
  return markedProcesses(marker).filter((p) => !serverPids.includes(p));
}

function killMarked(marker: string, except?: number): void {
  for (const pid of markedProcesses(marker)) {
    if (pid === except || pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Stops every server, then kills anything still carrying the marker. */
export async function stopFleet(servers: FleetServer[], marker: string): Promise<void> {
  await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  killMarked(marker);
}

export function newMarker(): string {
  return 'fleet-' + randomBytes(6).toString('hex');
}

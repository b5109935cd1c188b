// The default server: a private jupyter_server the runner starts, uses and stops.
// Bound to 127.0.0.1 with a random token, its own runtime dir (so readiness comes
// from its jpserver-<pid>.json) and its own kernelspec dir on JUPYTER_PATH (so each
// run can get a kernelspec carrying its environment variables).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JupyterError } from '../errors.js';
import type { OwnedProcesses } from './processes.js';
import type { JupyterServer } from './server.js';
import { ServerHealth } from './health.js';
import { makeSettings, probeServer } from './settings.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Loaded by the private server (through JUPYTER_CONFIG_PATH, so the user's own server
 * config still applies). jupyter_server never sets TCP_NODELAY on its WebSockets, so
 * Nagle's algorithm holds each small kernel message until the client's delayed ACK
 * (40 ms on Linux): an execute_reply and its idle status arrive ~40 ms late, for every
 * cell. Turning Nagle off on WebSocket streams takes a `pass` cell from ~49 ms to ~4 ms.
 */
const SERVER_CONFIG_PY = `# Written by run-notebook for its private Jupyter server.
def _run_notebook_nodelay():
    try:
        from tornado.websocket import WebSocketHandler
    except Exception:
        return
    detach = getattr(WebSocketHandler, "_detach_stream", None)
    if detach is None or getattr(detach, "_run_notebook", False):
        return
    def _detach_stream(self):
        stream = detach(self)
        try:
            stream.set_nodelay(True)
        except Exception:
            pass
        return stream
    _detach_stream._run_notebook = True
    WebSocketHandler._detach_stream = _detach_stream
_run_notebook_nodelay()
del _run_notebook_nodelay

# If the runner dies without stopping this server (SIGKILL, the OOM killer, a closed
# terminal), the server is re-parented: shut down as on SIGTERM, kernels included.
def _run_notebook_watch_parent():
    import os, signal, threading, time
    parent = os.getppid()
    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, name="run-notebook-parent-watch", daemon=True).start()
_run_notebook_watch_parent()
del _run_notebook_watch_parent
`;

export interface EmbeddedServerOptions {
  /** Explicit command (flag or RUN_NOTEBOOK_JUPYTER_SERVER), e.g. "/opt/venv/bin/jupyter-server". */
  command?: string;
  startTimeoutSec?: number;
  /** Seconds without an answer before the server counts as lost (default 30). */
  graceSec?: number;
  /** Called with lines the server printed, for --verbose. */
  onLog?: (line: string) => void;
  /** Told of the server process as soon as it is spawned, so an emergency exit can kill it. */
  processes?: OwnedProcesses;
  /** Picks the port to try (default: one the OS says is free now); tests force collisions with it. */
  pickPort?: () => Promise<number>;
}

/** Start-up attempts when the chosen port was taken in the meantime (by another runner, say). */
const PORT_ATTEMPTS = 5;

/** The server could not bind its port: someone took it between our check and its start. */
class PortTakenError extends JupyterError {}

/**
 * Finds the jupyter-server command: --jupyter or RUN_NOTEBOOK_JUPYTER_SERVER (which must
 * exist), then the project's .venv, then the active environment ($VIRTUAL_ENV, then
 * $CONDA_PREFIX), then PATH.
 */
export function findJupyterServerCommand(explicit?: string): string[] {
  const fromEnv = explicit ?? process.env.RUN_NOTEBOOK_JUPYTER_SERVER;
  if (fromEnv) {
    const cmd = fromEnv.split(/\s+/).filter(Boolean);
    const exe = cmd[0];
    if (exe && !(exe.includes('/') ? existsSync(exe) : onPath(exe))) {
      throw new JupyterError(`${explicit ? '--jupyter' : 'RUN_NOTEBOOK_JUPYTER_SERVER'} ${exe}: not found`);
    }
    return cmd;
  }
  const candidates = [PROJECT_ROOT + '/.venv', process.env.VIRTUAL_ENV, process.env.CONDA_PREFIX].filter((d): d is string => !!d).map((d) => join(d, 'bin', 'jupyter-server'));
  for (const c of candidates) if (existsSync(c)) return [c];
  const found = onPath('jupyter-server');
  if (found) return [found];
  const checkout = existsSync(join(PROJECT_ROOT, 'scripts', 'setup.sh')) ? ', or run `bash scripts/setup.sh` in the checkout' : '';
  throw new JupyterError(
    `no Jupyter server found: install one into the active environment with \`pip install jupyter_server ipykernel\`${checkout}, or pass --jupyter CMD or --server_url URL`,
  );
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Run by the server's own interpreter in place of the jupyter-server console script
 * (which does nothing but the last two lines). jsonschema, imported through
 * jupyter_events, imports rfc3987_syntax when installed, which compiles ~35 Lark parsers
 * at import: 0.9 of the 1.3 s this server took to start here. No Jupyter schema uses
 * the iri formats it checks (jupyter_server issue 1559), so the server goes without.
 * Kernels are separate processes and keep the module.
 */
const SERVER_BOOTSTRAP_PY = [
  'import sys',
  'sys.modules.setdefault("rfc3987_syntax", None)',
  'from jupyter_server.serverapp import main',
  'sys.exit(main())',
].join('\n');

/**
 * [python, -c, bootstrap] for a jupyter-server console script whose shebang names a
 * Python interpreter; the command unchanged for anything else (a wrapper, several words).
 */
function leanServerCommand(cmd: string[]): string[] {
  if (cmd.length !== 1) return cmd;
  try {
    const head = readFileSync(cmd[0]!, 'utf8').slice(0, 2000);
    const interpreter = /^#!(\S+)\s*\n/.exec(head)?.[1];
    if (!interpreter || !/^python[\d.]*$/.test(basename(interpreter)) || !existsSync(interpreter)) return cmd;
    if (!/from jupyter_server\.serverapp import main/.test(head)) return cmd;
    return [interpreter, '-c', SERVER_BOOTSTRAP_PY];
  } catch {
    return cmd;
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/**
 * A port is free when we look and bound by the server a moment later: another process may
 * take it in between (two runners starting at once). The server is told not to wander to
 * another port (`port_retries=0`, so we know where it is); when it reports the port taken,
 * it is started again on a fresh one.
 */
export async function startEmbeddedServer(opts: EmbeddedServerOptions = {}): Promise<JupyterServer> {
  const cmd = findJupyterServerCommand(opts.command);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, cmd, await (opts.pickPort ?? freePort)());
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw err;
      opts.onLog?.(`${err.message}; starting it again on another port`);
    }
  }
}

async function startOnce(opts: EmbeddedServerOptions, cmd: string[], port: number): Promise<JupyterServer> {
  const dirs = makeServerHome();
  const token = randomBytes(24).toString('hex');
  const launch = leanServerCommand(cmd);
  let child: ChildProcess;
  try {
    child = spawn(launch[0]!, serverArgs(launch, port, dirs.runtimeDir), { env: serverEnv(dirs, token), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    opts.processes?.addServer(child);
  } catch (err) {
    throw new JupyterError(`cannot start ${cmd[0]}: ${(err as Error).message}`, { cause: err });
  }
  const logTail = captureLog(child, token, opts.onLog);
  const exited = new Promise<number | null>((res) => {
    child.on('exit', (code) => res(code));
    child.on('error', () => res(-1));
  });

  const baseUrl = `http://127.0.0.1:${port}/`;
  const settings = makeSettings(baseUrl, token);
  const health = new ServerHealth(settings, { graceSec: opts.graceSec, embedded: true });
  child.on('exit', (code, signal) => health.markLost(signal ? `the process was killed (${signal})` : `the process exited with code ${code}`));
  const kill = () => killGroup(child);
  const stop = stopper({ child, exited, health, baseUrl, token, home: dirs.home, kill });

  const timeoutMs = (opts.startTimeoutSec ?? 60) * 1000;
  let ready: 'ready' | 'exited';
  try {
    ready = await Promise.race([
      waitForRuntimeFile(dirs.runtimeDir, child, timeoutMs).then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
    ]);
  } catch (err) {
    await stop();
    if (err instanceof JupyterError) throw err;
    ready = 'exited';
  }
  if (ready !== 'ready') {
    await stop();
    const last = logTail.slice(-5).join(' | ');
    if (logTail.some((l) => /port \d+ is not available/.test(l))) throw new PortTakenError(`port ${port} was taken before the embedded Jupyter server could bind it`);
    throw new JupyterError(`the embedded Jupyter server (${cmd[0]}) exited during start-up: ${last || 'no output'}`);
  }
  const status = await waitUntilAnswering(settings, child, Date.now() + timeoutMs, stop);
  // A server that stopped answering is of no further use: kill it now (SIGKILL works
  // even on a stopped process), so it cannot come back half-way through a restart.
  health.onLost(kill);
  health.startProbing();
  return {
    label: baseUrl,
    settings,
    health,
    ownKernels: new Set(),
    kernelspecDir: dirs.kernelspecDir,
    isGateway: false,
    python: launch !== cmd ? launch[0] : undefined,
    version: `jupyter_server ${status.version}`,
    stop,
  };
}

interface ServerHome {
  home: string;
  runtimeDir: string;
  kernelspecDir: string;
  configDir: string;
}

/** The server's private folder: its runtime dir, its kernelspecs, its config file. */
function makeServerHome(): ServerHome {
  const home = mkdtempSync(join(tmpdir(), 'run-notebook-server-'));
  const dirs = { home, runtimeDir: join(home, 'runtime'), kernelspecDir: join(home, 'share', 'kernels'), configDir: join(home, 'config') };
  for (const d of [dirs.runtimeDir, dirs.kernelspecDir, dirs.configDir]) mkdirSync(d, { recursive: true });
  writeFileSync(join(dirs.configDir, 'jupyter_server_config.py'), SERVER_CONFIG_PY);
  return dirs;
}

function serverArgs(launch: string[], port: number, runtimeDir: string): string[] {
  const args = [
    ...launch.slice(1),
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--ServerApp.port_retries=0',
    // Also set through JUPYTER_RUNTIME_DIR; on the command line it makes the server
    // findable in `ps` by its private folder (the tests look for leftovers that way).
    `--ServerApp.runtime_dir=${runtimeDir}`,
    // Kernels run notebooks from anywhere on disk (hidden folders included: starting a
    // kernel checks no hidden flag); the server is private to this runner.
    '--ServerApp.root_dir=/',
    // The server otherwise drops IOPub output above 1 MB/s, silently truncating big streams.
    // 2.x reads the first; 1.x (Debian 12's 1.23) only knows the ServerApp spelling.
    '--ZMQChannelsWebsocketConnection.limit_rate=False',
    '--ServerApp.iopub_data_rate_limit=0',
    '--ServerApp.iopub_msg_rate_limit=0',
  ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  return args;
}

function serverEnv(dirs: ServerHome, token: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_TOKEN: token,
    JUPYTER_RUNTIME_DIR: dirs.runtimeDir,
    JUPYTER_PATH: [join(dirs.home, 'share'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
    JUPYTER_CONFIG_PATH: [dirs.configDir, process.env.JUPYTER_CONFIG_PATH].filter(Boolean).join(delimiter),
    PYTHONUNBUFFERED: '1',
  };
}

/** The server's last 40 log lines (for a start-up error), the token masked; each line also to onLog. */
function captureLog(child: ChildProcess, token: string, onLog?: (line: string) => void): string[] {
  const tail: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line) continue;
      const clean = line.split(token).join('***');
      tail.push(clean);
      if (tail.length > 40) tail.shift();
      onLog?.(clean);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return tail;
}

function killGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

interface StopperParts {
  child: ChildProcess;
  exited: Promise<unknown>;
  health: ServerHealth;
  baseUrl: string;
  token: string;
  home: string;
  kill: () => void;
}

/** stop(), once: kernels shut down through the API, then the server, politely then not; a lost server is killed at once. */
function stopper({ child, exited, health, baseUrl, token, home, kill }: StopperParts): () => Promise<void> {
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    health.close();
    // A lost server (stopped, stuck) gets no polite shutdown: its kernels are killed by pid.
    if (health.lost) kill();
    if (child.exitCode === null && !health.lost) {
      const headers = { Authorization: `token ${token}` };
      // Kernels live in their own sessions: shut them down through the API first,
      // since killing the server alone would orphan them.
      try {
        const list = (await (await fetch(baseUrl + 'api/kernels', { headers, signal: AbortSignal.timeout(5000) })).json()) as { id: string }[];
        await Promise.all(
          list.map((k) => fetch(baseUrl + `api/kernels/${k.id}`, { method: 'DELETE', headers, signal: AbortSignal.timeout(10000) }).catch(() => undefined)),
        );
      } catch {
        /* server may be gone already */
      }
      await fetch(baseUrl + 'api/shutdown', { method: 'POST', headers, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      if (!(await waitExit(exited, 5000))) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          /* gone */
        }
        if (!(await waitExit(exited, 3000))) kill();
      }
    }
    rmSync(home, { recursive: true, force: true });
  };
}

/** The runtime file can appear a moment before the port accepts connections: probe until it answers. */
async function waitUntilAnswering(settings: ReturnType<typeof makeSettings>, child: ChildProcess, deadline: number, stop: () => Promise<void>) {
  for (;;) {
    try {
      return await probeServer(settings, 10_000);
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null || !/ECONNREFUSED/.test((err as Error).message)) {
        await stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function waitExit(exited: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((res) => (timer = setTimeout(() => res(false), ms)));
  const result = await Promise.race([exited.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

/** The server writes jpserver-<pid>.json once it listens; start-up is a one-time wait. */
async function waitForRuntimeFile(dir: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('exited');
    const f = readdirSync(dir).find((n) => /^jpserver-\d+\.json$/.test(n));
    if (f) {
      try {
        JSON.parse(readFileSync(join(dir, f), 'utf8'));
        return;
      } catch {
        /* half-written */
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new JupyterError(`the embedded Jupyter server did not start within ${timeoutMs / 1000}s`);
}

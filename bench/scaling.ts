// Row j: scale-out through one runner. The same CPU-bound sweep (bench/fixtures/cpu.ipynb,
// ~1.6 CPU-s of pure Python per config) runs on one jupyter_server pinned to one core
// (`taskset -c 0`, its kernels inherit the pin) and on two servers pinned to one core each
// (cores 0 and 1), one slot per server, listed in a --servers file. The runner itself is
// not pinned. Throughput one → two servers near 2× shows the runner and its scheduler add
// no bottleneck of their own.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { check, onCleanup, timed } from './proc.js';

export interface ScalingContext {
  work: string;
  /** The .venv's python, which has jupyter_server and ipykernel. */
  python: string;
  cli: string;
  fixtures: string;
  say: (s: string) => void;
}

export interface RowJ {
  configs: number;
  oneSec: number;
  twoSec: number;
  /** Runs per server in the two-server sweep. */
  spread: Record<string, number>;
}

const CONFIGS = 16;

/** Why the row cannot run here, or undefined. */
export function scalingUnavailable(): string | undefined {
  if (availableParallelism() < 2) return 'needs 2 cores';
  try {
    // taskset is util-linux's; without it there is no pinning to measure.
    execFileSync('taskset', ['-c', '0,1', 'true'], { stdio: 'ignore' });
  } catch {
    return 'taskset not found (util-linux), or cores 0 and 1 not usable';
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

interface Pinned {
  url: string;
  token: string;
  child: ChildProcess;
}

/** A jupyter_server pinned to `core` (taskset), token through the environment, 127.0.0.1 only. */
async function pinnedServer(ctx: ScalingContext, core: number): Promise<Pinned> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const home = join(ctx.work, `j-server-${core}-${port}`);
  mkdirSync(join(home, 'runtime'), { recursive: true });
  const root = process.getuid?.() === 0 ? ['--allow-root'] : [];
  const fd = openSync(join(home, 'server.log'), 'a');
  const child = spawn('taskset', ['-c', String(core), ctx.python, '-m', 'jupyter_server', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0', `--ServerApp.root_dir=${home}`, ...root], {
    cwd: home,
    env: { ...process.env, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(home, 'runtime') },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.pid === undefined) return res();
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
        res();
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(t);
        res();
      });
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        res();
      }
    });
  onCleanup(stop);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`row j: the pinned server on core ${core} exited (${join(home, 'server.log')})`);
    try {
      const r = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`row j: the pinned server on core ${core} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token, child };
}

async function sweep(ctx: ScalingContext, servers: Pinned[], name: string, sweepFile: string): Promise<{ seconds: number; dst: string }> {
  const env: Record<string, string> = {};
  const file = join(ctx.work, `j-${name}-servers.json`);
  writeFileSync(
    file,
    JSON.stringify({
      servers: servers.map((s, i) => {
        env[`RN_BENCH_TOKEN_${i}`] = s.token;
        return { name: `core${i}`, url: s.url, token_env: `RN_BENCH_TOKEN_${i}`, slots: 1 };
      }),
    }),
  );
  const dst = join(ctx.work, `j-${name}-out`);
  const r = check(await timed(ctx.cli, ['--notebook', join(ctx.fixtures, 'cpu.ipynb'), '--config_builder', sweepFile, '--dst_dir', dst, '--servers', file, '--no_html'], { env }), `run-notebook (j, ${name})`);
  const ok = readdirSync(dst).filter((d) => d.startsWith('result_')).length;
  if (ok !== CONFIGS) throw new Error(`row j (${name}): expected ${CONFIGS} result folders, found ${ok}`);
  return { seconds: r.seconds, dst };
}

export async function rowJ(ctx: ScalingContext): Promise<RowJ> {
  const sweepFile = join(ctx.work, 'j-sweep.yaml');
  writeFileSync(sweepFile, `grid:\n  x: [${Array.from({ length: CONFIGS }, (_, i) => i).join(', ')}]\n`);
  const [s0, s1] = await Promise.all([pinnedServer(ctx, 0), pinnedServer(ctx, 1)]);
  ctx.say(`j: ${CONFIGS} CPU-bound configs on one server pinned to core 0`);
  const one = await sweep(ctx, [s0], 'one', sweepFile);
  ctx.say(`j: the same on two servers pinned to cores 0 and 1`);
  const two = await sweep(ctx, [s0, s1], 'two', sweepFile);
  const spread: Record<string, number> = {};
  for (const t of (JSON.parse(readFileSync(join(two.dst, 'sweep.json'), 'utf8')) as { servers?: { name: string; runs: number }[] }).servers ?? []) spread[t.name] = t.runs;
  return { configs: CONFIGS, oneSec: one.seconds, twoSec: two.seconds, spread };
}

// Rows h and h2: --warm. Row h sweeps a notebook that imports numpy and pandas over 100
// configs, 2 at a time, cold, --warm and with papermill, side by side; it also runs row
// a's trivial notebook with --warm, and the warm floor (100 forked kernels started to
// their first kernel_info reply and shut down, with @jupyterlab/services alone), which is
// the limit for a warm sweep: fork + kernel init + the server's relay.
// CPU-seconds count the whole process tree (each command runs under a wrapper that reads
// RUSAGE_CHILDREN: runner, server, launchers, template and kernels are all reaped).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { resolveKernelSpec, startEmbeddedServer, startWarm } from '../src/jupyter/index.js';
import { cycleKernels } from './floor.js';
import { check, timed, type RunOptions, type Timed } from './proc.js';

const CPU_WRAP = [
  '-c',
  'import resource, subprocess, sys\nr = subprocess.call(sys.argv[1:])\nu = resource.getrusage(resource.RUSAGE_CHILDREN)\nsys.stderr.write("\\nbench-cpu %.3f\\n" % (u.ru_utime + u.ru_stime))\nsys.exit(r)',
];

export interface CpuTimed extends Timed {
  cpuSeconds: number;
}

/** Runs a command under the CPU wrapper: wall clock as `timed`, plus the CPU time of its whole tree. */
export async function timedCpu(python: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<CpuTimed> {
  const r = await timed(python, [...CPU_WRAP, cmd, ...args], opts);
  const m = /bench-cpu ([\d.]+)\s*$/.exec(r.stderr);
  return { ...r, cpuSeconds: m ? Number(m[1]) : NaN };
}

function countSuccess(dst: string): number {
  let n = 0;
  for (const d of readdirSync(dst)) {
    const p = join(dst, d);
    if (statSync(p).isDirectory() && readdirSync(p).includes('success.txt')) n++;
  }
  return n;
}

export interface WarmBenchContext {
  work: string;
  python: string;
  cli: string;
  papermill: string;
  fixtures: string;
  configs: number;
  threads: number;
  say: (s: string) => void;
}

export interface SweepSide {
  seconds: number;
  cpuSeconds: number;
}

/** One run-notebook sweep of `nb` over `sweep`, with extra flags; checks every run succeeded. */
async function sweep(c: WarmBenchContext, tag: string, nb: string, sweepFile: string, configs: number, extra: string[]): Promise<SweepSide> {
  const dst = join(c.work, `${tag}-out`);
  const r = check(await timedCpu(c.python, c.cli, ['--notebook', join(c.fixtures, nb), '--config_builder', sweepFile, '--dst_dir', dst, '--num_threads', String(c.threads), ...extra]), `run-notebook (${tag})`);
  if (/warm: /.test(r.stderr)) throw new Error(`${tag}: the sweep did not stay warm: ${r.stderr.split('\n').find((l) => /warm: /.test(l))}`);
  const ok = countSuccess(dst);
  if (ok !== configs) throw new Error(`${tag}: expected ${configs} successful runs, found ${ok}`);
  rmSync(dst, { recursive: true, force: true });
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds };
}

async function papermill(c: WarmBenchContext, nb: string, configs: number): Promise<SweepSide> {
  const out = join(c.work, 'h-papermill');
  mkdirSync(out, { recursive: true });
  const limit = pLimit(c.threads);
  let cpu = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: configs }, (_, x) =>
      limit(async () => {
        const r = check(await timedCpu(c.python, c.papermill, ['--no-progress-bar', join(c.fixtures, nb), join(out, `out_${x}.ipynb`), '-p', 'x', String(x)]), `papermill (h, x=${x})`);
        cpu += r.cpuSeconds;
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (readdirSync(out).length !== configs) throw new Error('row h: papermill did not write every notebook');
  rmSync(out, { recursive: true, force: true });
  return { seconds, cpuSeconds: cpu };
}

/** The warm limit: N forked kernels started to kernel_info and shut down, `concurrency` at a time, one server and template. */
export async function warmFloor(kernels: number, concurrency: number, imports: string[]): Promise<{ seconds: number; kernelSeconds: number }> {
  const t0 = performance.now();
  const server = await startEmbeddedServer();
  let template: Awaited<ReturnType<typeof startWarm>>;
  let t1 = 0;
  let t2 = 0;
  try {
    const spec = await resolveKernelSpec(server, 'python3');
    template = await startWarm({ server, spec, cwd: process.cwd(), imports, codeCells: [], onWarning: (m) => { throw new Error(m); } });
    const name = 'rn-warm-floor';
    mkdirSync(join(server.kernelspecDir!, name), { recursive: true });
    writeFileSync(join(server.kernelspecDir!, name, 'kernel.json'), JSON.stringify({ argv: template!.launcherArgv(spec.argv), display_name: 'warm floor', language: 'python', interrupt_mode: 'signal', env: {} }));
    const settings = server.settings;
    t1 = performance.now();
    await cycleKernels(settings, name, kernels, concurrency);
    t2 = performance.now();
  } finally {
    await server.stop();
    await template?.stop();
  }
  return { seconds: (performance.now() - t0) / 1000, kernelSeconds: (t2 - t1) / 1000 };
}

export interface RowH {
  cold: SweepSide;
  warm: SweepSide;
  papermill: SweepSide;
  trivialCold: SweepSide;
  trivialWarm: SweepSide;
  floor: { seconds: number; kernelSeconds: number };
}

export async function rowH(c: WarmBenchContext, sweep100: string): Promise<RowH> {
  c.say(`h: numpy+pandas notebook, ${c.configs} configs, ${c.threads} at a time: cold`);
  const cold = await sweep(c, 'h-cold', 'numpy_pandas.ipynb', sweep100, c.configs, []);
  c.say('h: ... --warm');
  const warm = await sweep(c, 'h-warm', 'numpy_pandas.ipynb', sweep100, c.configs, ['--warm']);
  c.say('h: ... papermill');
  const pm = await papermill(c, 'numpy_pandas.ipynb', c.configs);
  c.say("h: row a's trivial notebook, cold and --warm");
  const trivialCold = await sweep(c, 'h-trivial-cold', 'trivial.ipynb', sweep100, c.configs, []);
  const trivialWarm = await sweep(c, 'h-trivial-warm', 'trivial.ipynb', sweep100, c.configs, ['--warm']);
  c.say('h: the warm floor (forked kernels started and shut down, no runner)');
  const floor = await warmFloor(c.configs, c.threads, ['numpy', 'pandas']);
  return { cold, warm, papermill: pm, trivialCold, trivialWarm, floor };
}

export interface RowH2 {
  configs: number;
  prefixSeconds: number;
  cold: SweepSide;
  warm: SweepSide;
  warmPrefix: SweepSide;
  /** The --warm sweep with its prefix paid once instead of once per config: warm - (N - 1) x prefix / threads. */
  limitSeconds: number;
}

/**
 * Row h2: a notebook whose cells above the parameters cell take 2 s (a sleep and a
 * synthetic numpy data set), 50 configs: cold, --warm (the prefix still runs per config)
 * and --warm_prefix (the prefix runs once, in the template). The limit for --warm_prefix
 * is the --warm sweep with the prefix paid once.
 */
export async function rowH2(c: WarmBenchContext, sweep50: string, configs = 50, prefixSeconds = 2): Promise<RowH2> {
  c.say(`h2: a 2 s prefix (prefix2s.ipynb), ${configs} configs, ${c.threads} at a time: cold`);
  const cold = await sweep(c, 'h2-cold', 'prefix2s.ipynb', sweep50, configs, []);
  c.say('h2: ... --warm (the prefix still runs in every kernel)');
  const warm = await sweep(c, 'h2-warm', 'prefix2s.ipynb', sweep50, configs, ['--warm']);
  c.say('h2: ... --warm_prefix (the prefix runs once, in the template)');
  const warmPrefix = await sweep(c, 'h2-warm-prefix', 'prefix2s.ipynb', sweep50, configs, ['--warm_prefix']);
  const limitSeconds = warm.seconds - ((configs - 1) * prefixSeconds) / c.threads;
  return { configs, prefixSeconds, cold, warm, warmPrefix, limitSeconds };
}

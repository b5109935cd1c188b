// `npm run bench`: run-notebook against papermill and the kernel-start floor, side by
// side in one run on this machine. Prints a table and writes bench/results.json.
//
//   a  run-notebook: 100-config sweep of a 3-cell notebook, --num_threads 2, HTML on
//   b  papermill: the same 100 parameter sets, 2 papermill processes at a time
//   c  the floor: 100 kernels started (to their first kernel_info reply) and shut down
//      through one embedded server, 2 at a time, with @jupyterlab/services alone
//   d  per-cell overhead: 200 cells of `pass`, run-notebook vs jupyter execute (nbclient)
//   e  planning: --dry_run over a 10,000-config sweep file
//   f  memory: the runner's peak RSS during a 1,000-config sweep
//   g  HTML: render time of a ~20 MB output-heavy notebook (bench/html.ts)
//   h  --warm: a numpy+pandas notebook and the trivial one, cold vs --warm vs papermill,
//      with CPU-s per config and the warm floor (bench/warm.ts)
//  h2 --warm_prefix: a notebook whose cells above the parameters cell take 2 s, 50
//      configs, cold vs --warm vs --warm_prefix, and the limit: the prefix paid once
//   j  scale-out: a CPU-bound sweep on one server pinned to one core (taskset) vs two
//      servers pinned to one core each, through one runner (bench/scaling.ts)
//
// Rows a, b, d, e, f go through the real command lines (bin/run-notebook.js runs the
// build in dist/, which `npm run bench` refreshes first). Wall clocks run from spawn to
// exit, so process start-up, the embedded server and the summary all count.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { benchFloor } from './floor.js';
import { check, cleanupAll, scratchDir, timed } from './proc.js';
import { rowH, rowH2, type RowH, type RowH2 } from './warm.js';
import { rowJ, scalingUnavailable, type RowJ } from './scaling.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = join(ROOT, 'bench', 'fixtures');
const VENV = join(ROOT, '.venv', 'bin');
const CLI = [join(ROOT, 'bin', 'run-notebook.js')];
const CONFIGS = 100;
const THREADS = 2;

// @jupyterlab/services logs every WebSocket it opens at debug level (row c).
console.debug = () => undefined;

interface Row {
  key: string;
  what: string;
  value: number;
  unit: string;
  detail: string;
}

function say(s: string): void {
  process.stderr.write(`bench: ${s}\n`);
}

/** Runs the CLI the way an installed `run-notebook` runs: the bin file, through its shebang. */
function runner(args: string[], opts: Parameters<typeof timed>[2] = {}) {
  return timed(CLI[0]!, args, opts);
}

function countFiles(dir: string, pred: (name: string) => boolean): number {
  let n = 0;
  for (const d of readdirSync(dir)) {
    const p = join(dir, d);
    if (statSync(p).isDirectory()) n += readdirSync(p).filter(pred).length;
  }
  return n;
}

function sweepFile(dir: string, name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i).join(', ');

async function rowA(work: string) {
  const dst = join(work, 'a-out');
  const r = check(await runner(['--notebook', join(FIX, 'trivial.ipynb'), '--config_builder', join(FIX, 'sweep100.yaml'), '--dst_dir', dst, '--num_threads', String(THREADS)], { watchRss: true }), 'run-notebook (a)');
  const ok = countFiles(dst, (f) => f === 'success.txt');
  const html = countFiles(dst, (f) => f === 'trivial.html');
  if (ok !== CONFIGS || html !== CONFIGS) throw new Error(`row a: expected ${CONFIGS} successful runs with HTML, found ${ok} and ${html}`);
  return r;
}

async function rowB(work: string) {
  // Same as `seq 0 99 | xargs -P 2 -I{} papermill trivial.ipynb out_{}.ipynb -p x {}`.
  const out = join(work, 'b-out');
  mkdirSync(out);
  const limit = pLimit(THREADS);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONFIGS }, (_, x) =>
      limit(async () =>
        check(await timed(join(VENV, 'papermill'), ['--no-progress-bar', join(FIX, 'trivial.ipynb'), join(out, `out_${x}.ipynb`), '-p', 'x', String(x)]), `papermill (b, x=${x})`),
      ),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (readdirSync(out).length !== CONFIGS) throw new Error('row b: papermill did not write every notebook');
  return seconds;
}

/**
 * Row d. Each tool runs a 1-cell and a 200-cell notebook of `pass` on one kernel, as a
 * whole command (start-up, kernel, execution, writing). The difference divided by 199
 * is the cost of one more cell with start-up and kernel start cancelled out. The
 * difference is ~0.5-1 s against run-to-run noise of a few tenths, so each command runs
 * three times and the fastest counts.
 */
async function rowD(work: string) {
  const best = async (f: () => Promise<number>) => Math.min(await f(), await f(), await f());
  let k = 0;
  const rn = (nb: string) => async () => check(await runner(['--notebook', join(FIX, nb), '--dst_dir', join(work, `d-${k++}`)]), `run-notebook (d, ${nb})`).seconds;
  const je = (nb: string) => async () => check(await timed(join(VENV, 'jupyter-execute'), [join(FIX, nb)], { cwd: work }), `jupyter execute (d, ${nb})`).seconds;
  const rn1 = await best(rn('pass1.ipynb'));
  const rn200 = await best(rn('pass200.ipynb'));
  const je1 = await best(je('pass1.ipynb'));
  const je200 = await best(je('pass200.ipynb'));
  return { rnMs: ((rn200 - rn1) / 199) * 1000, jeMs: ((je200 - je1) / 199) * 1000, rn1, rn200, je1, je200 };
}

async function rowE(work: string) {
  const file = sweepFile(work, 'sweep10k.yaml', `grid:\n  a: [${range(100)}]\n  b: [${range(100)}]\n`);
  const r = check(await runner(['--notebook', join(FIX, 'trivial.ipynb'), '--config_builder', file, '--dst_dir', join(work, 'e-out'), '--dry_run'], { stdoutFile: join(work, 'e-plan.txt') }), 'run-notebook --dry_run (e)');
  if (!/^10000 configs: 10000 new/m.test(r.stdout)) throw new Error(`row e: unexpected plan output: ${r.stdout.slice(-200)}`);
  return r;
}

async function rowF(work: string) {
  const file = sweepFile(work, 'sweep1000.yaml', `grid:\n  x: [${range(1000)}]\n`);
  const dst = join(work, 'f-out');
  const r = check(await runner(['--notebook', join(FIX, 'trivial.ipynb'), '--config_builder', file, '--dst_dir', dst, '--num_threads', String(THREADS)], { watchRss: true }), 'run-notebook (f)');
  const ok = countFiles(dst, (f) => f === 'success.txt');
  if (ok !== 1000) throw new Error(`row f: expected 1000 successful runs, found ${ok}`);
  return r;
}

async function rowG() {
  const html = join(ROOT, 'bench', 'html.ts');
  if (!existsSync(html)) return undefined;
  const mod = (await import('./html.js')) as { benchHtml(): Promise<{ megabytes: number; seconds: number }> };
  return mod.benchHtml();
}

function versions(): Record<string, string> {
  const py = `import json, importlib.metadata as m
print(json.dumps({p: m.version(p) for p in ["jupyter_server", "jupyter_client", "ipykernel", "papermill", "nbclient", "tornado", "pyzmq"]}))`;
  const v = JSON.parse(execFileSync(join(VENV, 'python'), ['-c', py], { encoding: 'utf8' })) as Record<string, string>;
  v.python = execFileSync(join(VENV, 'python'), ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
  v.node = process.version;
  return v;
}

function machine() {
  const c = cpus();
  return { cores: c.length, cpu: c[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), kernel: release() };
}

const fmt = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<number> {
  const started = new Date();
  const only = process.env.BENCH_ONLY?.split(',');
  const want = (k: string) => !only || only.includes(k);
  const work = scratchDir();
  const v = versions();
  const m = machine();
  const loadBefore = loadavg()[0]!;
  say(`load average ${fmt(loadBefore)} (anything else running on the machine skews the numbers)`);
  say(`${m.cores} cores (${m.cpu}), node ${v.node}, jupyter_server ${v.jupyter_server}, ipykernel ${v.ipykernel}, papermill ${v.papermill}`);
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  // The 1-minute load average at the end of each row: our own runs account for about 2
  // on 2 cores; much more means something else shared the machine during that row.
  const load: Record<string, number> = {};
  const noteLoad = (k: string) => (load[k] = Math.round(loadavg()[0]! * 100) / 100);

  let a: number | undefined, b: number | undefined, c: number | undefined;
  if (want('a')) {
    say(`a: run-notebook, ${CONFIGS} configs, --num_threads ${THREADS}, HTML on`);
    const r = await rowA(work);
    a = r.seconds;
    raw.a = { seconds: r.seconds, peakRssMb: r.peakRssMb };
    noteLoad('a');
    rows.push({ key: 'a', what: `run-notebook, ${CONFIGS} configs, 2 threads, HTML`, value: r.seconds, unit: 's', detail: `${fmt(r.seconds / CONFIGS, 3)} s/config, peak RSS ${fmt(r.peakRssMb!, 0)} MB` });
  }
  if (want('b')) {
    say(`b: papermill, the same ${CONFIGS} parameter sets, ${THREADS} processes`);
    b = await rowB(work);
    raw.b = { seconds: b };
    noteLoad('b');
    rows.push({ key: 'b', what: `papermill, ${CONFIGS} runs, 2 processes`, value: b, unit: 's', detail: `${fmt(b / CONFIGS, 3)} s/config` });
  }
  if (want('c')) {
    say(`c: the floor, ${CONFIGS} kernels started and shut down, concurrency ${THREADS}`);
    const r = await benchFloor(CONFIGS, THREADS);
    c = r.seconds;
    raw.c = r;
    noteLoad('c');
    rows.push({ key: 'c', what: `floor: ${CONFIGS} kernel start+shutdown, 2 at a time`, value: r.seconds, unit: 's', detail: `${fmt(r.seconds / CONFIGS, 3)} s/config (kernels alone ${fmt(r.kernelSeconds, 1)} s)` });
  }
  let d: Awaited<ReturnType<typeof rowD>> | undefined;
  if (want('d')) {
    say('d: per-cell overhead, 200 cells of pass, run-notebook vs jupyter execute');
    d = await rowD(work);
    raw.d = d;
    noteLoad('d');
    rows.push({ key: 'd', what: 'per-cell overhead: run-notebook', value: d.rnMs, unit: 'ms/cell', detail: `1 cell ${fmt(d.rn1)} s, 200 cells ${fmt(d.rn200)} s` });
    rows.push({ key: 'd', what: 'per-cell overhead: jupyter execute', value: d.jeMs, unit: 'ms/cell', detail: `1 cell ${fmt(d.je1)} s, 200 cells ${fmt(d.je200)} s` });
  }
  let e: number | undefined;
  if (want('e')) {
    say('e: --dry_run over 10,000 configs');
    e = (await rowE(work)).seconds;
    raw.e = { seconds: e };
    noteLoad('e');
    rows.push({ key: 'e', what: 'planning: --dry_run, 10,000 configs', value: e, unit: 's', detail: 'whole command' });
  }
  let f: number | undefined;
  if (want('f')) {
    say('f: peak RSS during a 1,000-config sweep (takes a while)');
    const r = await rowF(work);
    f = r.peakRssMb!;
    raw.f = { seconds: r.seconds, peakRssMb: f };
    noteLoad('f');
    rows.push({ key: 'f', what: 'memory: peak RSS, 1,000-config sweep', value: f, unit: 'MB', detail: `sweep took ${fmt(r.seconds, 0)} s, ${fmt(r.seconds / 1000, 3)} s/config` });
  }
  let g: { megabytes: number; seconds: number } | undefined;
  if (want('g')) {
    say('g: HTML render of a ~20 MB notebook');
    g = await rowG();
    raw.g = g ?? null;
    rows.push(g ? { key: 'g', what: `HTML: render a ${g.megabytes} MB notebook`, value: g.seconds, unit: 's', detail: 'best of 3' } : { key: 'g', what: 'HTML', value: NaN, unit: '', detail: 'bench/html.ts missing' });
  }
  let h: import('./indexPage.js').IndexBench | undefined;
  if (want('i')) {
    say('i: the index page of a 1,000-config sweep with 5 metrics in headless Chromium');
    h = await (await import('./indexPage.js')).benchIndexPage();
    raw.i = h;
    noteLoad('i');
    rows.push({ key: 'i', what: `index page: ${h.configs} configs, ${h.metrics} metrics, load to every chart drawn`, value: h.seconds, unit: 's', detail: `best of 3 (${h.runs.map((x) => fmt(x)).join(', ')} s); table too ${fmt(h.tableSeconds)} s; file ${fmt(h.megabytes)} MB, of which libraries ${fmt(h.libraryMegabytes)} MB` });
  }
  let wh: RowH | undefined;
  if (want('h')) {
    wh = await rowH({ work, python: join(VENV, 'python'), cli: CLI[0]!, papermill: join(VENV, 'papermill'), fixtures: FIX, configs: CONFIGS, threads: THREADS, say }, join(FIX, 'sweep100.yaml'));
    raw.h = wh;
    noteLoad('h');
    const per = (x: { seconds: number; cpuSeconds: number }) => `${fmt(x.seconds / CONFIGS, 3)} s/config, ${fmt(x.cpuSeconds / CONFIGS, 2)} CPU-s/config`;
    rows.push({ key: 'h', what: `numpy+pandas notebook, ${CONFIGS} configs, 2 threads: cold`, value: wh.cold.seconds, unit: 's', detail: per(wh.cold) });
    rows.push({ key: 'h', what: '... --warm', value: wh.warm.seconds, unit: 's', detail: per(wh.warm) });
    rows.push({ key: 'h', what: '... papermill, 2 processes', value: wh.papermill.seconds, unit: 's', detail: per(wh.papermill) });
    rows.push({ key: 'h', what: `trivial notebook (row a), cold`, value: wh.trivialCold.seconds, unit: 's', detail: per(wh.trivialCold) });
    rows.push({ key: 'h', what: '... --warm', value: wh.trivialWarm.seconds, unit: 's', detail: per(wh.trivialWarm) });
    rows.push({ key: 'h', what: `warm floor: ${CONFIGS} forked kernels to kernel_info + shutdown, 2 at a time`, value: wh.floor.seconds, unit: 's', detail: `${fmt(wh.floor.kernelSeconds / CONFIGS, 3)} s/kernel (kernels alone ${fmt(wh.floor.kernelSeconds, 1)} s)` });
  }
  let j: RowJ | undefined;
  if (want('j')) {
    const why = scalingUnavailable();
    if (why) {
      say(`j: skipped: ${why}`);
      rows.push({ key: 'j', what: 'scale-out: 1 vs 2 pinned servers', value: NaN, unit: '', detail: `skipped: ${why}` });
    } else {
      j = await rowJ({ work, python: join(VENV, 'python'), cli: CLI[0]!, fixtures: FIX, say });
      raw.j = j;
      noteLoad('j');
      const per = (s: number) => `${fmt(j!.configs / s, 3)} configs/s`;
      rows.push({ key: 'j', what: `scale-out: ${j.configs} CPU-bound configs, 1 server pinned to 1 core, 1 slot`, value: j.oneSec, unit: 's', detail: per(j.oneSec) });
      rows.push({ key: 'j', what: '... 2 servers pinned to 1 core each, 1 slot each, one runner', value: j.twoSec, unit: 's', detail: `${per(j.twoSec)}; runs per server ${Object.entries(j.spread).map(([k, n]) => `${k} ${n}`).join(', ')}` });
    }
  }

  let wh2: RowH2 | undefined;
  if (want('h2')) {
    wh2 = await rowH2({ work, python: join(VENV, 'python'), cli: CLI[0]!, papermill: join(VENV, 'papermill'), fixtures: FIX, configs: CONFIGS, threads: THREADS, say }, join(FIX, 'sweep50.yaml'));
    raw.h2 = wh2;
    noteLoad('h2');
    const n = wh2.configs;
    const per = (x: { seconds: number; cpuSeconds: number }) => `${fmt(x.seconds / n, 3)} s/config, ${fmt(x.cpuSeconds / n, 2)} CPU-s/config`;
    rows.push({ key: 'h2', what: `notebook with a ${wh2.prefixSeconds} s prefix, ${n} configs, 2 threads: cold`, value: wh2.cold.seconds, unit: 's', detail: per(wh2.cold) });
    rows.push({ key: 'h2', what: '... --warm (prefix per config)', value: wh2.warm.seconds, unit: 's', detail: per(wh2.warm) });
    rows.push({ key: 'h2', what: '... --warm_prefix (prefix once)', value: wh2.warmPrefix.seconds, unit: 's', detail: per(wh2.warmPrefix) });
    rows.push({ key: 'h2', what: `limit: --warm with the prefix paid once (warm - ${n - 1} x ${wh2.prefixSeconds} s / 2)`, value: wh2.limitSeconds, unit: 's', detail: '' });
  }

  const targets: { name: string; value: number | undefined; target: string; pass: (x: number) => boolean; show: (x: number) => string }[] = [
    { name: 'b/a (throughput vs papermill)', value: a && b ? b / a : undefined, target: '>= 2.5', pass: (x) => x >= 2.5, show: (x) => fmt(x) },
    { name: 'a/c (time vs the floor)', value: a && c ? a / c : undefined, target: '<= 1.3', pass: (x) => x <= 1.3, show: (x) => fmt(x) },
    { name: 'd run-notebook - nbclient per cell', value: d ? d.rnMs - d.jeMs : undefined, target: '<= 0 ms', pass: (x) => x <= 0, show: (x) => `${fmt(x, 1)} ms` },
    { name: 'e planning 10,000 configs', value: e, target: '<= 3 s', pass: (x) => x <= 3, show: (x) => `${fmt(x)} s` },
    { name: 'f peak RSS', value: f, target: '<= 150 MB', pass: (x) => x <= 150, show: (x) => `${fmt(x, 0)} MB` },
    { name: 'h cold/warm (numpy+pandas)', value: wh ? wh.cold.seconds / wh.warm.seconds : undefined, target: '>= 4', pass: (x) => x >= 4, show: (x) => fmt(x) },
    { name: 'h papermill/warm (numpy+pandas)', value: wh ? wh.papermill.seconds / wh.warm.seconds : undefined, target: '>= 10', pass: (x) => x >= 10, show: (x) => fmt(x) },
    { name: 'h cold/warm (trivial)', value: wh ? wh.trivialCold.seconds / wh.trivialWarm.seconds : undefined, target: '>= 2', pass: (x) => x >= 2, show: (x) => fmt(x) },
    { name: 'h warm/floor (numpy+pandas)', value: wh ? wh.warm.seconds / wh.floor.seconds : undefined, target: 'report', pass: () => true, show: (x) => fmt(x) },
    { name: 'h2 cold/--warm_prefix (2 s prefix)', value: wh2 ? wh2.cold.seconds / wh2.warmPrefix.seconds : undefined, target: 'report', pass: () => true, show: (x) => fmt(x) },
    { name: 'h2 --warm_prefix/limit (prefix paid once)', value: wh2 ? wh2.warmPrefix.seconds / wh2.limitSeconds : undefined, target: 'report', pass: () => true, show: (x) => fmt(x) },
    { name: 'j scale-out, 2 servers / 1 (throughput)', value: j ? j.oneSec / j.twoSec : undefined, target: '>= 1.8', pass: (x) => x >= 1.8, show: (x) => fmt(x) },
    { name: 'g HTML render', value: g?.seconds, target: '<= 1 s', pass: (x) => x <= 1, show: (x) => `${fmt(x, 3)} s` },
    { name: 'i index page, load to first chart', value: h?.seconds, target: '< 1 s', pass: (x) => x < 1, show: (x) => `${fmt(x)} s` },
    { name: 'i index page size beyond its libraries', value: h ? h.megabytes - h.libraryMegabytes : undefined, target: '< 2 MB', pass: (x) => x < 2, show: (x) => `${fmt(x)} MB` },
  ];

  const lines: string[] = [];
  lines.push('| row | what | result | detail |', '|---|---|---|---|');
  for (const r of rows) lines.push(`| ${r.key} | ${r.what} | ${Number.isNaN(r.value) ? 'n/a' : `${fmt(r.value, r.unit === 'MB' ? 0 : r.unit === 'ms/cell' ? 1 : 2)} ${r.unit}`} | ${r.detail} |`);
  lines.push('', '| measure | value | target | |', '|---|---|---|---|');
  const verdicts: Record<string, unknown> = {};
  for (const t of targets) {
    if (t.value === undefined) continue;
    const ok = t.pass(t.value);
    verdicts[t.name] = { value: t.value, target: t.target, pass: ok };
    lines.push(`| ${t.name} | ${t.show(t.value)} | ${t.target} | ${ok ? 'PASS' : 'MISS'} |`);
  }
  const ended = new Date();
  process.stdout.write(lines.join('\n') + '\n');
  say(`done in ${fmt((ended.getTime() - started.getTime()) / 1000, 0)} s; load average after each row: ${Object.entries(load).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  const results = { date: started.toISOString(), durationSec: (ended.getTime() - started.getTime()) / 1000, machine: m, loadAverage: { before: loadBefore, afterRow: load }, versions: v, configs: CONFIGS, threads: THREADS, rows, raw, targets: verdicts, table: lines.join('\n') };
  mkdirSync(join(ROOT, 'bench', 'work'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', only ? join('work', 'results.partial.json') : 'results.json'), JSON.stringify(results, null, 1) + '\n');
  return 0;
}

let code = 1;
const stop = () => {
  say('interrupted: stopping children and removing scratch files');
  void cleanupAll().then(() => process.exit(130));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
try {
  code = await main();
} catch (err) {
  process.stderr.write(`bench: error: ${(err as Error).message}\n`);
} finally {
  await cleanupAll();
}
process.exit(code);

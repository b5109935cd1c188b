// The sweep end to end on the embedded server: parallel runs with a failure, retries,
// incremental skip and stale reruns, abort, dry run and selection, lambdas, papermill
// parameters, the resource pool and Ctrl-C.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook, StreamOutput } from '../../src/notebook/types.js';
import { assertValidNotebook } from '../helpers/nbschema.js';
import { fixture, processesMentioning, readJson, runCli, tempDir } from './support.js';

interface RunJson {
  status: string;
  attempts: { status: string; headline?: string }[];
  results: Record<string, unknown>;
  fingerprint: string;
}
interface Summary {
  runs: { index: number; name: string; status: string; this_run: string; results: Record<string, unknown>; params: Record<string, unknown> }[];
}

const runJson = (dst: string, i: number) => readJson<RunJson>(join(dst, `result_${i}`, 'run.json'));
const streamText = (dst: string, i: number, stem = 'train') => {
  const nb = readJson<Notebook>(join(dst, `result_${i}`, `${stem}.ipynb`));
  return nb.cells
    .flatMap((c) => (c.cell_type === 'code' ? c.outputs : []))
    .filter((o): o is StreamOutput => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text))
    .join('');
};

/** Copies the train fixture into a fresh folder so tests can edit it. */
function workspace(): { dir: string; nb: string } {
  const dir = tempDir('rn-sweep-');
  for (const f of ['train.ipynb', 'sweep.yaml', 'flaky.yaml', 'ok.yaml']) copyFileSync(fixture('sweep', f), join(dir, f));
  return { dir, nb: join(dir, 'train.ipynb') };
}

/** Highest number of runs whose [start, end] spans overlap, from the spans the notebook wrote. */
function maxOverlap(dst: string): number {
  const spans = readdirSync(join(dst, 'spans')).map((f) => readFileSync(join(dst, 'spans', f), 'utf8').split(' ').map(Number) as [number, number]);
  const events = spans.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  events.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (cur += d!));
  return max;
}

describe('sweep', () => {
  it('runs 6 configs 3 at a time, with one failure, and writes every result', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', join(dir, 'sweep.yaml'), '--dst_dir', dst, '--num_threads', '3']);
    assert.equal(r.code, 1, r.stderr);
    for (let i = 0; i < 6; i++) {
      const run = runJson(dst, i);
      assert.equal(run.status, i === 5 ? 'failed' : 'success', `run ${i}`);
      assert.equal(existsSync(join(dst, `result_${i}`, 'success.txt')), i !== 5);
      for (const f of ['train.ipynb', 'train.html', 'config.json', 'config.txt', 'log.txt']) assert.ok(existsSync(join(dst, `result_${i}`, f)), `${f} of run ${i}`);
      assertValidNotebook(readJson(join(dst, `result_${i}`, 'train.ipynb')));
    }
    assert.match(runJson(dst, 5).attempts[0]!.headline!, /RuntimeError: config with seed 3 fails on purpose/);
    // papermill-style parameters injected after the parameters cell
    const saved = readJson<Notebook>(join(dst, 'result_4', 'train.ipynb'));
    const injected = saved.cells.findIndex((c) => (c.metadata.tags ?? []).includes('injected-parameters'));
    assert.ok(injected > 0 && (saved.cells[injected - 1]!.metadata.tags ?? []).includes('parameters'));
    assert.match(streamText(dst, 4), /config 0\.2 2\n/);
    assert.match(streamText(dst, 4), /sub:4:none\n/);
    // summary: one row per config, a column per param and per recorded result
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.equal(summary.runs.length, 6);
    assert.equal(summary.runs[1]!.name, 'lr=0.1,seed=2');
    assert.equal(summary.runs[1]!.results.score, 3);
    const csv = readFileSync(join(dst, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 7);
    assert.equal(csv[0], 'index,name,status,this_run,attempts,start_sec,exec_sec,total_sec,server,host,tags,description,sleep,lr,seed,fail,score,error');
    // kernel start-up and execution are recorded apart, for every run whether its kernel was started ahead or not
    for (let i = 0; i < 6; i++) {
      const rec = readJson<{ durationSec: number; kernelStartSec: number; totalSec: number; attempts: { execSec: number; kernelStartSec: number }[] }>(join(dst, `result_${i}`, 'run.json'));
      assert.ok(rec.kernelStartSec > 0.05 && rec.kernelStartSec < 60, `kernel start of run ${i}: ${rec.kernelStartSec}`);
      assert.ok(rec.durationSec > 0 && rec.durationSec === rec.attempts.at(-1)!.execSec, `exec time of run ${i}`);
      assert.ok(rec.totalSec >= rec.durationSec, `total of run ${i}`);
    }
    assert.ok(existsSync(join(dst, 'index.html')));
    assert.ok(existsSync(join(dst, 'sweep.json')));
    assert.match(r.stderr, /failures:\n {2}5 lr=0\.2,seed=3,fail=True: RuntimeError: config with seed 3 fails on purpose \(cell 5\)\n/);
    // the parallel limit holds exactly: never more than 3, and 3 were reached
    assert.equal(maxOverlap(dst), 3);
  });

  it('retries a flaky config in a fresh kernel until it succeeds, keeping every attempt', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', join(dir, 'flaky.yaml'), '--dst_dir', dst, '--num_retries', '2', '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    const run = runJson(dst, 0);
    assert.equal(run.status, 'success');
    assert.deepEqual(run.attempts.map((a) => a.status), ['error', 'ok']);
    assert.match(run.attempts[0]!.headline!, /flaky: first attempt fails/);
    const log = readFileSync(join(dst, 'result_0', 'log.txt'), 'utf8');
    assert.match(log, /attempt 1\/3[\s\S]*attempt 1 failed[\s\S]*attempt 2\/3/);
  });

  it('--incremental skips what is done and reruns what is stale or failed', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const args = ['--notebook', nb, '--config_builder', join(dir, 'ok.yaml'), '--dst_dir', dst, '--no_html'];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    const before = runJson(dst, 0).fingerprint;
    const again = await runCli([...args, '--incremental']);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /0 to run, 4 up to date/);
    // editing the notebook's source makes every run stale
    const doc = readJson<{ cells: { source: string[] }[] }>(nb);
    doc.cells[5]!.source.push('\nprint("edited")');
    writeFileSync(nb, JSON.stringify(doc));
    const plan = await runCli(['configs', ...args, '--incremental']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /4 configs: 0 new, 0 done, 4 stale/);
    const stale = await runCli([...args, '--incremental']);
    assert.equal(stale.code, 0, stale.stderr);
    assert.match(stale.stderr, /4 to run/);
    assert.notEqual(runJson(dst, 0).fingerprint, before);
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((r) => r.this_run), ['stale', 'stale', 'stale', 'stale']);
  });

  it('--abort_on_error starts nothing after the first failure', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const yaml = join(dir, 'abort.yaml');
    writeFileSync(yaml, 'configs:\n  - {seed: 1, fail: true}\n  - {seed: 2}\n  - {seed: 3}\nfixed: {lr: 0.1}\n');
    const r = await runCli(['--notebook', nb, '--config_builder', yaml, '--dst_dir', dst, '--abort_on_error', '--num_threads', '1', '--no_html']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(runJson(dst, 0).status, 'failed');
    assert.ok(!existsSync(join(dst, 'result_1')));
    assert.ok(!existsSync(join(dst, 'result_2')));
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => x.this_run), ['ran', 'not_started', 'not_started']);
  });

  it('--dry_run plans without running; --index and --start_from_index select stable indices', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const dry = await runCli(['--notebook', nb, '--config_builder', join(dir, 'sweep.yaml'), '--dst_dir', dst, '--dry_run', '--start_from_index', '4']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\s*4\s+run\s+lr=0\.2,seed=2$/m);
    assert.match(dry.stdout, /2 configs: 2 to run/);
    assert.ok(!existsSync(dst));
    const one = await runCli(['--notebook', nb, '--config_builder', join(dir, 'ok.yaml'), '--dst_dir', dst, '--index', '3', '--no_html']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(readdirSync(dst).filter((f) => f.startsWith('result_')), ['result_3']);
    assert.match(streamText(dst, 3), /config 0\.2 2\n/);
  });

  it('hands configs holding lambdas to the notebook by re-evaluating the builder', async () => {
    const dst = tempDir();
    const r = await runCli(['--notebook', fixture('sweep', 'lambdas.ipynb'), '--config_builder', 'build()', '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    for (const k of [1, 2, 3]) {
      assert.match(streamText(dst, k - 1, 'lambdas'), new RegExp(`fn\\(3\\) = ${3 * k}\\n`));
      assert.equal(runJson(dst, k - 1).results.value, 3 * k);
    }
    assert.match(readFileSync(join(dst, 'result_1', 'config.txt'), 'utf8'), /lambda/);
  });

  it('runs papermill-style notebooks unchanged', async () => {
    const dst = tempDir();
    const r = await runCli(['--notebook', fixture('sweep', 'papermill_style.ipynb'), '--config_builder', fixture('sweep', 'papermill.yaml'), '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(streamText(dst, 0, 'papermill_style'), 'five 10\n');
    assert.equal(streamText(dst, 1, 'papermill_style'), 'seven 14\n');
  });

  it('gives each worker slot its --resources as CUDA_VISIBLE_DEVICES', async () => {
    const { dir, nb } = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', join(dir, 'ok.yaml'), '--dst_dir', dst, '--resources', '0;1,2', '--num_threads', '4', '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /2 at a time/);
    const seen = [0, 1, 2, 3].map((i) => /sub:\d+:(\S+)\n/.exec(streamText(dst, i))![1]);
    assert.ok(seen.every((d) => d === '0' || d === '1,2'), seen.join(' '));
    assert.ok(seen.includes('0') && seen.includes('1,2'), seen.join(' '));
    assert.ok(maxOverlap(dst) <= 2);
  });

  it('on SIGINT mid-sweep marks running runs interrupted, writes the summary, leaves no process, and resumes', async () => {
    const { dir, nb } = workspace();
    const tmp = tempDir('rn-sweep-int-');
    const dst = join(dir, 'out');
    const yaml = join(dir, 'slow.yaml');
    writeFileSync(yaml, 'grid: {seed: [1, 2, 3, 4]}\nfixed: {lr: 0.1, sleep: 60}\n');
    let sent = false;
    const args = ['--notebook', nb, '--config_builder', yaml, '--dst_dir', dst, '--num_threads', '2', '--no_html'];
    const r = await runCli(args, {
      tmp,
      onStderr: (s, child) => {
        if (!sent && /start 1/.test(s) && /start 0/.test(s)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 3000);
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);
    assert.equal(runJson(dst, 0).status, 'interrupted');
    assert.equal(runJson(dst, 1).status, 'interrupted');
    assert.ok(!existsSync(join(dst, 'result_2')));
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => x.status), ['interrupted', 'interrupted', 'not_run', 'not_run']);
    // Interrupted runs are not new: --incremental reruns them as failed ones.
    const plan = await runCli(['configs', ...args, '--incremental']);
    assert.match(plan.stdout, /^\s*0\s+failed\s/m);
    assert.match(plan.stdout, /4 configs: 2 new, 0 done, 0 stale, 2 failed$/m);
  });

  it('fails a run whose kernel rebuilds a different config (non-deterministic builder)', async () => {
    const { dir, nb } = workspace();
    copyFileSync(fixture('sweep', 'builders.py'), join(dir, 'builders.py'));
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', 'builders.nondeterministic()', '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(runJson(dst, 0).attempts[0]!.headline!, /config builder is not deterministic/);
  });

  it('a builder that raises is one error line plus its traceback, exit 2, nothing run', async () => {
    const { dir, nb } = workspace();
    copyFileSync(fixture('sweep', 'builders.py'), join(dir, 'builders.py'));
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', 'builders.broken()', '--dst_dir', dst]);
    assert.equal(r.code, 2, r.stderr);
    // The first line says which interpreter evaluated the builder; the error is the next one.
    const lines = r.stderr.split('\n');
    assert.match(lines[0]!, /^run-notebook: kernel python3 /);
    assert.match(lines[1]!, /^error: config builder "builders\.broken\(\)" raised KeyError: 'missing'$/);
    assert.match(r.stderr, /builders\.py/);
    assert.ok(!existsSync(join(dst, 'result_0')));
  });

  it('--log_output streams cell output to the console, prefixed by config index', async () => {
    const dst = tempDir();
    const r = await runCli(['--notebook', fixture('sweep', 'papermill_style.ipynb'), '--config_builder', fixture('sweep', 'papermill.yaml'), '--dst_dir', dst, '--no_html', '--log_output', '--num_threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[0\] five 10$/m);
    assert.match(r.stderr, /^\[1\] seven 14$/m);
  });
});

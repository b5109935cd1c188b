// Results end to end: a small sweep with recorded metrics, two seeds and one failure, read
// back through summary.sqlite (with Python's sqlite3), summary.csv, the index page and
// `run-notebook results`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, type CliResult } from './support.js';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const code = (src: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: src });
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    code('from run_notebook import get_config_from_env, record, get_result_dir\nimport base64, os\nc = get_config_from_env()'),
    code("if c.get('fail'):\n    raise RuntimeError('fails on purpose')"),
    code("record('acc', round(1 - c['lr'] * c['seed'] / 10, 6))\nrecord('loss', round(c['lr'] * c['seed'], 6))\nrecord('name', 'a result called name')"),
    code(`open(os.path.join(get_result_dir(), 'curve.png'), 'wb').write(base64.b64decode('${PNG_1PX}'))\nos.makedirs(os.path.join(get_result_dir(), 'logs'), exist_ok=True)\nopen(os.path.join(get_result_dir(), 'logs', 'train.txt'), 'w').write('done')`),
  ].map((c, i) => ({ ...c, id: `cell-${i}` })),
};
const SWEEP = `grid:
  lr: [0.1, 0.01]
  seed: [1, 2]
fixed:
  _tags: [baseline]
---
configs:
  - {lr: 0.5, seed: 1, fail: true, _description: broken on purpose}
`;

const python = existsSync(join(ROOT, '.venv', 'bin', 'python')) ? join(ROOT, '.venv', 'bin', 'python') : 'python3';

function sqlite(db: string, query: string): unknown[][] {
  const out = execFileSync(python, ['-c', 'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))', db, query], { encoding: 'utf8' });
  return JSON.parse(out) as unknown[][];
}

describe('results of a sweep', () => {
  let dir: string;
  let dst: string;
  let run: CliResult;
  before(async () => {
    dir = tempDir('rn-results-');
    dst = join(dir, 'out');
    writeFileSync(join(dir, 'metrics.ipynb'), JSON.stringify(NOTEBOOK));
    writeFileSync(join(dir, 'sweep.yaml'), SWEEP);
    run = await runCli(['--notebook', join(dir, 'metrics.ipynb'), '--config_builder', join(dir, 'sweep.yaml'), '--dst_dir', dst, '--num_threads', '2']);
  });
  after(() => undefined);

  it('the sweep ran: four successes and one failure', () => {
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /4 succeeded, 1 failed/);
  });

  it('summary.sqlite reads back with Python sqlite3: runs, attempts, clash naming, durations', () => {
    const db = join(dst, 'summary.sqlite');
    const rows = sqlite(db, 'SELECT "index", name, status, attempts, lr, seed, acc, loss, "result.name", tags, description FROM runs ORDER BY "index"');
    assert.deepEqual(rows, [
      [0, 'lr=0.1,seed=1', 'success', 1, 0.1, 1, 0.99, 0.1, 'a result called name', '["baseline"]', null],
      [1, 'lr=0.1,seed=2', 'success', 1, 0.1, 2, 0.98, 0.2, 'a result called name', '["baseline"]', null],
      [2, 'lr=0.01,seed=1', 'success', 1, 0.01, 1, 0.999, 0.01, 'a result called name', '["baseline"]', null],
      [3, 'lr=0.01,seed=2', 'success', 1, 0.01, 2, 0.998, 0.02, 'a result called name', '["baseline"]', null],
      [4, 'lr=0.5,seed=1,fail=True', 'failed', 1, 0.5, 1, null, null, null, null, 'broken on purpose'],
    ]);
    const times = sqlite(db, 'SELECT start_sec, exec_sec, total_sec, server, host FROM runs');
    for (const [start, exec, total, server, host] of times as [number, number, number, string, string][]) {
      assert.ok(start > 0 && exec > 0 && total >= exec, `durations ${start} ${exec} ${total}`);
      assert.match(server, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.equal(host, '127.0.0.1');
    }
    const failed = sqlite(db, "SELECT run_index, attempt, status, typeof(cell_index) FROM attempts WHERE status != 'ok'");
    assert.deepEqual(failed, [[4, 1, 'error', 'integer']]);
    assert.equal(sqlite(db, 'SELECT count(*) FROM attempts')[0]![0], 5);
    assert.match(String(sqlite(db, 'SELECT headline FROM attempts WHERE run_index = 4')[0]![0]), /RuntimeError: fails on purpose/);
    assert.deepEqual(sqlite(db, "SELECT name, kind, key FROM columns WHERE key = 'name'"), [
      ['name', 'run', 'name'],
      ['result.name', 'result', 'name'],
    ]);
    assert.equal(sqlite(db, 'SELECT count(*) FROM sweep WHERE ended_at IS NOT NULL')[0]![0], 1);
  });

  it('summary.csv has unique headers and spells values as Python does', () => {
    const lines = readFileSync(join(dst, 'summary.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    assert.equal(new Set(header).size, header.length, lines[0]);
    assert.deepEqual(header.slice(12), ['lr', 'seed', 'fail', 'acc', 'loss', 'result.name', 'error']);
    assert.match(lines[5]!, /^4,"lr=0\.5,seed=1,fail=True",failed,ran,1,[\d.]+,[\d.]+,[\d.]+,http:\/\/127\.0\.0\.1:\d+\/,127\.0\.0\.1,,broken on purpose,0\.5,1,True,,,,RuntimeError: fails on purpose/);
  });

  it('files written into get_result_dir() are listed, and shown on the run page', () => {
    const summary = JSON.parse(readFileSync(join(dst, 'summary.json'), 'utf8')) as { runs: { artifacts: string[] }[] };
    assert.deepEqual(summary.runs[0]!.artifacts, ['result_0/curve.png', 'result_0/logs/train.txt']);
    assert.deepEqual(summary.runs[4]!.artifacts, []);
    const page = readFileSync(join(dst, 'result_0', 'metrics.html'), 'utf8');
    assert.match(page, /<a href="curve\.png"><img class="rn-thumb" src="data:image\/png;base64,/);
    assert.match(page, /<a href="logs\/train\.txt">/);
    assert.match(page, /<span class="rn-tag">baseline<\/span>/);
    assert.match(readFileSync(join(dst, 'result_4', 'metrics.html'), 'utf8'), /<p class="rn-description">broken on purpose<\/p>/);
  });

  it('index.html: the analysis page with every run, its tags, files and outputs, no longer reloading', () => {
    const html = readFileSync(join(dst, 'index.html'), 'utf8');
    assert.ok(!html.includes('class="rn-live"'), 'the sweep has ended');
    const data = JSON.parse(/<script type="application\/json" id="rn-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as {
      live: boolean;
      params: string[];
      results: string[];
      rows: { i: number; s: string; d: number; k: number; t?: string[]; f?: string[]; o?: [number, string, Record<string, string>][]; e?: string }[];
    };
    assert.equal(data.live, false);
    assert.deepEqual(data.params, ['lr', 'seed', 'fail']);
    assert.deepEqual(data.results, ['acc', 'loss', 'name']);
    assert.deepEqual(data.rows.map((r) => r.s), ['success', 'success', 'success', 'success', 'failed']);
    assert.ok(data.rows.every((r) => r.d > 0 && r.k > 0), 'execution and kernel start-up apart');
    assert.deepEqual(data.rows[0]!.t, ['baseline']);
    assert.deepEqual(data.rows[0]!.f, ['result_0/curve.png', 'result_0/logs/train.txt']);
    assert.deepEqual(data.rows[4]!.o!.find((c) => c[0] === 2)![2], { error: 'RuntimeError: fails on purpose' });
    assert.match(data.rows[4]!.e!, /RuntimeError: fails on purpose/);
  });

  it('run-notebook results: --where, --sort, --group_by, formats, and two sweeps combined', async () => {
    const best = await runCli(['results', dst, '--where', 'lr<0.1 and status=success', '--sort', '-acc', '--columns', 'index,lr,seed,acc']);
    assert.equal(best.code, 0, best.stderr);
    assert.deepEqual(best.stdout.trim().split('\n'), ['index    lr  seed    acc', '-----  ----  ----  -----', '    2  0.01     1  0.999', '    3  0.01     2  0.998', '(2 rows)']);
    const grouped = await runCli(['results', dst, '--group_by', 'seed', '--where', 'status=success', '--format', 'csv', '--columns', 'lr,n,acc']);
    assert.equal(grouped.code, 0, grouped.stderr);
    const lines = grouped.stdout.trim().split('\n');
    assert.equal(lines[0], 'lr,n,acc.mean,acc.std,acc.n');
    const [lr, n, mean, std, count] = lines[1]!.split(',').map(Number);
    assert.deepEqual([lr, n, count], [0.1, 2, 2]);
    assert.ok(Math.abs(mean! - 0.985) < 1e-9 && Math.abs(std! - Math.SQRT1_2 * 0.01) < 1e-9, lines[1]);
    const md = await runCli(['results', dst, '--group_by', 'seed', '--format', 'markdown']);
    assert.match(md.stdout, /\| 0\.5 \| True \| 1 \| 0 \|/);
    const both = await runCli(['results', dst, dst, '--format', 'json', '--columns', 'sweep,index,status', '--where', 'status=failed']);
    assert.deepEqual(JSON.parse(both.stdout), [
      { sweep: dst, index: 4, status: 'failed' },
      { sweep: dst, index: 4, status: 'failed' },
    ]);
    const bad = await runCli(['results', dst, '--where', 'nope>1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --where: unknown column "nope"; columns: index, name, status/);
  });

  it('check --golden_dir compares recorded results, with --rtol/--atol', async () => {
    const cdir = tempDir('rn-golden-');
    const nb = join(cdir, 'value.ipynb');
    writeFileSync(nb, JSON.stringify({ ...NOTEBOOK, cells: [{ ...code("from run_notebook import record\nrecord('value', float(open('value.txt').read()))"), id: 'c0' }] }));
    const golden = join(cdir, 'golden');
    writeFileSync(join(cdir, 'value.txt'), '1.0');
    const rec = await runCli(['check', nb, '--golden_dir', golden, '--update_golden']);
    assert.equal(rec.code, 0, rec.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(golden, 'result_0', 'results.json'), 'utf8')), { results: { value: 1 } });
    assert.equal((await runCli(['check', nb, '--golden_dir', golden])).code, 0, 'unchanged: passes');
    writeFileSync(join(cdir, 'value.txt'), '1.001');
    const changed = await runCli(['check', nb, '--golden_dir', golden]);
    assert.equal(changed.code, 1, 'the outputs are the same, the recorded value is not');
    assert.match(changed.stdout, /recorded results differ from the golden: value: expected 1, got 1\.001 \(difference [\d.e-]+, allowed 0\)/);
    const tolerant = await runCli(['check', nb, '--golden_dir', golden, '--rtol', '0.01']);
    assert.equal(tolerant.code, 0, tolerant.stdout);
    assert.equal((await runCli(['check', nb, '--golden_dir', golden, '--atol', '0.0001'])).code, 1);
    const bad = await runCli(['check', nb, '--golden_dir', golden, '--rtol', '-1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--rtol and --atol must be numbers >= 0/);
  });
});

// Fail-fast on a real server: a sweep whose first 3 runs all fail the same way at the
// same cell starts no more runs, says why in one line and exits 1; --no_fail_fast and
// differing errors run everything.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processesMentioning, readJson, runCli, tempDir } from './support.js';

function notebook(failing: string): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'code', execution_count: null, id: 'p', metadata: { tags: ['parameters'] }, outputs: [], source: 'seed = 0' },
      { cell_type: 'code', execution_count: null, id: 'f', metadata: {}, outputs: [], source: failing },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

interface Summary {
  runs: { index: number; status: string; this_run: string }[];
}

describe('fail-fast', () => {
  let dir: string;
  before(() => {
    dir = tempDir('rn-failfast-');
    writeFileSync(join(dir, 'missing.ipynb'), notebook('import not_installed_anywhere'));
    writeFileSync(join(dir, 'differs.ipynb'), notebook('raise RuntimeError(f"seed {seed}")'));
    writeFileSync(join(dir, 'five.yaml'), 'grid: {seed: [1, 2, 3, 4, 5]}\n');
    writeFileSync(join(dir, 'four.yaml'), 'grid: {seed: [1, 2, 3, 4]}\n');
  });

  it('stops after the first 3 runs failed the same way: one line, exit 1, the rest not started', async () => {
    const dst = join(dir, 'out-stop');
    const r = await runCli(['--notebook', join(dir, 'missing.ipynb'), '--config_builder', join(dir, 'five.yaml'), '--dst_dir', dst, '--num_threads', '1', '--no_html'], { tmp: dir });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('stopping:'));
    // cell 3: the injected-parameters cell follows the parameters cell.
    assert.deepEqual(lines, [
      "stopping: the first 3 runs all failed the same way (ModuleNotFoundError: No module named 'not_installed_anywhere' (cell 3)); starting none of the other 2 (--no_fail_fast runs them anyway)",
    ]);
    for (const i of [0, 1, 2]) assert.ok(existsSync(join(dst, `result_${i}`, 'run.json')));
    for (const i of [3, 4]) assert.ok(!existsSync(join(dst, `result_${i}`)), `config ${i} was not started`);
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => x.this_run), ['ran', 'ran', 'ran', 'not_started', 'not_started']);
    assert.equal(readJson<{ stopped?: string }>(join(dst, 'sweep.json')).stopped, 'fail_fast');
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('--no_fail_fast runs every config; so do errors that differ', async () => {
    const runs = await Promise.all([
      runCli(['--notebook', join(dir, 'missing.ipynb'), '--config_builder', join(dir, 'four.yaml'), '--dst_dir', join(dir, 'out-off'), '--num_threads', '1', '--no_html', '--no_fail_fast'], { tmp: dir }),
      runCli(['--notebook', join(dir, 'differs.ipynb'), '--config_builder', join(dir, 'four.yaml'), '--dst_dir', join(dir, 'out-differ'), '--num_threads', '1', '--no_html'], { tmp: dir }),
    ]);
    for (const [r, out] of [
      [runs[0]!, 'out-off'],
      [runs[1]!, 'out-differ'],
    ] as const) {
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /^stopping:/m);
      assert.ok(existsSync(join(dir, out, 'result_3', 'run.json')), `${out}: the 4th config ran`);
    }
  });
});

// Issue 17, execution as nbclient does it, on a real embedded server: kernels keep their
// IPython history in memory, so parallel kernels never share (or lock) one history.sqlite.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { executeNotebook } from '../../src/execute/index.js';
import type { ErrorOutput, Notebook, StreamOutput } from '../../src/notebook/types.js';
import { fixture, loadFixture, readJson, runCli, stopSharedServer, tempDir, withKernel } from './support.js';

after(stopSharedServer);

const stdout = (nb: Notebook) =>
  nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).filter((o): o is StreamOutput => o.output_type === 'stream').map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');

describe('issue 17: kernels as nbclient starts them (real server)', () => {
  it('parallel kernels keep their history in memory: no shared history.sqlite', async () => {
    const ipython = tempDir('rn-ipython-');
    const run = async () => {
      const nb = await loadFixture('fidelity', 'history.ipynb');
      // IPYTHONDIR points both kernels at one profile folder: with a history file they would share it.
      const outcome = await withKernel({ IPYTHONDIR: ipython }, (s) => executeNotebook(nb, s, {}));
      assert.equal(outcome.status, 'ok');
      return stdout(nb);
    };
    const outs = await Promise.all([run(), run()]);
    for (const out of outs) assert.match(out, /^hist_file :memory:$/m, out);
    assert.equal(existsSync(join(ipython, 'profile_default', 'history.sqlite')), false, 'no history file was created');
  });

  const cellText = (nb: Notebook, i: number) => {
    const c = nb.cells[i]!;
    return c.cell_type === 'code' ? c.outputs.map((o) => ('text' in o ? (Array.isArray(o.text) ? o.text.join('') : o.text) : o.output_type === 'error' ? (o as ErrorOutput).ename : '')).join('|') : '';
  };

  it('with --allow_errors a timed-out cell is interrupted, its error kept, and the next cell runs (nbclient interrupt_on_timeout)', async () => {
    const nb = await loadFixture('fidelity', 'timeout-continue.ipynb');
    const outcome = await withKernel({}, (s) => executeNotebook(nb, s, { allowErrors: true, cellTimeoutSec: 2 }));
    assert.equal(outcome.status, 'ok', outcome.headline);
    assert.match(cellText(nb, 1), /CellTimeoutError/);
    assert.equal(cellText(nb, 2), 'after the timeout\n', 'the cell after the timeout ran');
  });

  it('without --allow_errors the run still stops at the timed-out cell', async () => {
    const nb = await loadFixture('fidelity', 'timeout-continue.ipynb');
    const outcome = await withKernel({}, (s) => executeNotebook(nb, s, { cellTimeoutSec: 2 }));
    assert.equal(outcome.status, 'timeout');
    assert.doesNotMatch(nb.cells.map((_, i) => cellText(nb, i)).join('\n'), /after the timeout/);
  });

  it('the CLI run: --allow_errors --cell_timeout saves the later cells\' outputs and succeeds', async () => {
    const dst = join(tempDir('rn-timeout-'), 'out');
    const r = await runCli(['--notebook', fixture('fidelity', 'timeout-continue.ipynb'), '--dst_dir', dst, '--allow_errors', '--cell_timeout', '2', '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readJson<Notebook>(join(dst, 'result_0', 'timeout-continue.ipynb'));
    const texts = nb.cells.map((_, i) => cellText(nb, i)).join('\n');
    assert.match(texts, /CellTimeoutError/);
    assert.match(texts, /after the timeout/);
  });
  it('check --allow_errors --cell_timeout keeps checking the cells after a timed-out one (nbval-style suites)', async () => {
    const nb = fixture('fidelity', 'check-timeout.ipynb');
    const r = await runCli(['check', nb, '--allow_errors', '--cell_timeout', '3']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL \S*check-timeout\.ipynb · cell 2:[\s\S]*CellTimeoutError: Cell execution timed out after 3 seconds/);
    // Cell 4's stored output is wrong on purpose: reaching it proves the check went on.
    assert.match(r.stdout, /FAIL \S*check-timeout\.ipynb · cell 4: print\(1 \+ 1\)[\s\S]*-3\n\s*\+2/);
    assert.match(r.stdout, /cells: 2 passed, 2 failed, 0 errors, 0 skipped/);

    // Without --allow_errors the check stops at the timeout, as the run does.
    const stop = await runCli(['check', nb, '--cell_timeout', '3']);
    assert.equal(stop.code, 1);
    assert.match(stop.stdout, /cells: 1 passed, 0 failed, 1 error, 2 skipped/);
    assert.doesNotMatch(stop.stdout, /cell 4/);
  });
});

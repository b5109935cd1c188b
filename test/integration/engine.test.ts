// The engine on a real jupyter_server: every output type, errors, timeouts, a dying
// kernel, input(), display updates across cells, env vars, a 10 MB stream.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeNotebook } from '../../src/execute/index.js';
import { serializeNotebook } from '../../src/notebook/index.js';
import type { CodeCell, DisplayDataOutput, ErrorOutput, Notebook, StreamOutput } from '../../src/notebook/types.js';
import { assertValidNotebook } from '../helpers/nbschema.js';
import { fixture, loadFixture, stopSharedServer, withKernel } from './support.js';

after(stopSharedServer);

const code = (nb: Notebook, i: number) => nb.cells[i] as CodeCell;
const bySource = (nb: Notebook, start: string) => nb.cells.find((c) => c.source.startsWith(start)) as CodeCell;
const streams = (c: CodeCell, name = 'stdout') => c.outputs.filter((o): o is StreamOutput => o.output_type === 'stream' && o.name === name);

async function run(name: string, opts: Parameters<typeof executeNotebook>[2] = {}, env: Record<string, string> = {}) {
  const nb = await loadFixture('engine', name + '.ipynb');
  const outcome = await withKernel(env, (s) => executeNotebook(nb, s, opts), fixture('engine'));
  assertValidNotebook(JSON.parse(serializeNotebook(nb)));
  return { nb, outcome };
}

describe('engine on a real server', () => {
  it('stores every output type as nbformat does', async () => {
    const { nb, outcome } = await run('outputs');
    assert.equal(outcome.status, 'ok');
    // stdout merged into one stream output, stderr separate
    const c1 = code(nb, 1);
    assert.deepEqual(
      c1.outputs.map((o) => o.output_type === 'stream' && [o.name, o.text]),
      [
        ['stdout', 'hello\n'],
        ['stderr', 'to stderr\n'],
        ['stdout', 'again\n'],
      ],
    );
    assert.equal(c1.execution_count, 1);
    // \r overwrites the line, \b deletes a character
    assert.equal(streams(code(nb, 2)).map((o) => o.text).join(''), 'progress 4\ndone\nabd\n');
    // display_data then execute_result with its count
    const c3 = code(nb, 3);
    assert.equal(c3.outputs[0]!.output_type, 'display_data');
    assert.equal((c3.outputs[0] as DisplayDataOutput).data['text/html'], '<b>bold</b>');
    const res = c3.outputs[1]!;
    assert.equal(res.output_type, 'execute_result');
    assert.equal(res.output_type === 'execute_result' && res.execution_count, c3.execution_count);
    assert.equal(res.output_type === 'execute_result' && res.data['text/plain'], '42');
    // update_display_data from cell 5 reached the output of cell 4; transient dropped
    const c4 = code(nb, 4);
    assert.equal((c4.outputs[0] as DisplayDataOutput).data['text/html'], '<i>updated</i>');
    assert.ok(!('transient' in c4.outputs[0]!));
    assert.equal(streams(code(nb, 5))[0]!.text, 'updated the earlier cell\n');
    // clear_output now, and with wait=True
    assert.deepEqual(streams(code(nb, 6)).map((o) => o.text), ['kept\n']);
    assert.deepEqual(streams(code(nb, 7)).map((o) => o.text), ['new\n']);
    // unicode
    assert.equal(streams(code(nb, 8))[0]!.text, 'héllo wörld ✓ 日本語 🎉\n');
    // image
    const img = code(nb, 9).outputs[0];
    assert.equal(img?.output_type, 'execute_result');
    assert.match(String(img?.output_type === 'execute_result' && img.data['image/png']), /^iVBORw0KGgo/);
    // empty cell skipped; raw untouched; per-cell timing recorded as nbclient does
    assert.equal(code(nb, 10).execution_count, null);
    assert.equal(nb.cells[11]!.source, 'raw stays raw');
    const t = code(nb, 1).metadata.execution!;
    for (const k of ['iopub.status.busy', 'iopub.execute_input', 'shell.execute_reply', 'iopub.status.idle']) assert.match(t[k] ?? '', /^\d{4}-\d\d-\d\dT/, k);
    const meta = nb.metadata.run_notebook as { duration: number; status: string };
    assert.equal(meta.status, 'ok');
    assert.ok(meta.duration > 0);
    assert.equal(nb.metadata.language_info?.name, 'python');
  });

  it('stops at the first error, leaves later cells unexecuted, and marks the notebook', async () => {
    const { nb, outcome } = await run('error');
    assert.equal(outcome.status, 'error');
    assert.match(outcome.headline!, /^ZeroDivisionError: division by zero \(cell 2\)$/);
    const failing = nb.cells.find((c) => c.cell_type === 'code' && c.source === '1 / 0') as CodeCell;
    const err = failing.outputs.find((o): o is ErrorOutput => o.output_type === 'error')!;
    assert.equal(err.ename, 'ZeroDivisionError');
    assert.ok(err.traceback.length > 0);
    const never = nb.cells.find((c) => c.source === "print('never')") as CodeCell;
    assert.equal(never.execution_count, null);
    assert.deepEqual(never.outputs, []);
    assert.equal(nb.cells[0]!.cell_type, 'markdown', 'error banner at the top');
    assert.match(nb.cells[0]!.source, /cell 2/);
  });

  it('does not stack error markers on a rerun', async () => {
    const nb = await loadFixture('engine', 'error.ipynb');
    await withKernel({}, (s) => executeNotebook(nb, s));
    const markers1 = nb.cells.filter((c) => c.cell_type === 'markdown').length;
    await withKernel({}, (s) => executeNotebook(nb, s));
    assert.equal(nb.cells.filter((c) => c.cell_type === 'markdown').length, markers1);
    assert.ok(markers1 >= 1);
  });

  it('goes on past errors with allowErrors', async () => {
    const { nb, outcome } = await run('error', { allowErrors: true });
    assert.equal(outcome.status, 'ok');
    const last = nb.cells[2] as CodeCell;
    assert.equal(streams(last)[0]?.text, 'never\n');
  });

  it('lets a raises-exception cell raise', async () => {
    const { nb, outcome } = await run('raises');
    assert.equal(outcome.status, 'ok');
    assert.equal(code(nb, 0).outputs[0]?.output_type, 'error');
    assert.equal(streams(code(nb, 1))[0]?.text, 'after the expected error\n');
  });

  it('skips skip-execution and empty cells', async () => {
    const { nb, outcome } = await run('skip');
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.executedCells, 2);
    assert.deepEqual(code(nb, 1).outputs, []);
    assert.equal(code(nb, 1).execution_count, null);
    assert.equal(streams(code(nb, 4))[0]?.text, 'also runs\n');
  });

  it('interrupts a cell that exceeds the timeout and records it', async () => {
    const started = Date.now();
    const { nb, outcome } = await run('timeout', { cellTimeoutSec: 2 });
    assert.equal(outcome.status, 'timeout');
    assert.equal(nb.cells[outcome.cellIndex!]!.source, "import time\nprint('sleeping')\ntime.sleep(60)");
    assert.ok(Date.now() - started < 30_000, 'did not wait for the 60 s sleep');
    const errs = code(nb, outcome.cellIndex!).outputs.filter((o): o is ErrorOutput => o.output_type === 'error');
    assert.ok(errs.some((e) => e.ename === 'CellTimeoutError'));
    assert.equal(bySource(nb, "print('never')").execution_count, null);
  });

  it('records a dead kernel instead of hanging', async () => {
    const { nb, outcome } = await run('die');
    assert.equal(outcome.status, 'kernel_died');
    assert.equal(outcome.headline, 'kernel died while running cell 2');
    const errs = code(nb, outcome.cellIndex!).outputs.filter((o): o is ErrorOutput => o.output_type === 'error');
    assert.equal(errs[0]?.ename, 'DeadKernelError');
    assert.equal(bySource(nb, 'import os').source, 'import os\nos._exit(1)');
    assert.equal(code(nb, outcome.cellIndex!), bySource(nb, 'import os'));
  });

  it('fails input() at once instead of waiting for stdin', async () => {
    const { nb, outcome } = await run('input');
    assert.equal(outcome.status, 'error');
    const err = bySource(nb, 'name = input').outputs.find((o): o is ErrorOutput => o.output_type === 'error')!;
    assert.equal(err.ename, 'StdinNotImplementedError');
  });

  it('gives the kernel real environment variables, inherited by subprocesses, and the cwd', async () => {
    const { nb, outcome } = await run('env', {}, { RN_TEST_VAR: 'value with spaces ✓' });
    assert.equal(outcome.status, 'ok');
    assert.equal(streams(code(nb, 0))[0]?.text, `value with spaces ✓\n${fixture('engine')}\n`);
    assert.equal(streams(code(nb, 1))[0]?.text, 'sub:value with spaces ✓\n');
  });

  it('keeps a 10 MB stream intact', async () => {
    const { nb, outcome } = await run('bigstream');
    assert.equal(outcome.status, 'ok');
    const out = streams(code(nb, 0));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.text.length, 100 * 100_000);
    assert.equal(out[0]!.text, ('x'.repeat(99) + '\n').repeat(100_000));
  });
});

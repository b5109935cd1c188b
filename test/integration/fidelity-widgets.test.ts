// Issue 17, widget state as `jupyter execute` saves it, on a real embedded server with a real
// ipywidgets (python/requirements-test.txt): the executed notebook's metadata.widgets holds
// the final state of every live model, the page shows it, and `check` ignores the model ids
// that change between runs.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeNotebook } from '../../src/execute/index.js';
import { savedWidgetState, WIDGET_VIEW_MIME } from '../../src/notebook/index.js';
import type { Notebook } from '../../src/notebook/types.js';
import { fixture, loadFixture, readJson, ROOT, runCli, stopSharedServer, tempDir, withKernel } from './support.js';

after(stopSharedServer);

const PY = join(ROOT, '.venv', 'bin', 'python');
const hasWidgets = spawnSync(PY, ['-c', 'import ipywidgets'], { stdio: 'ignore' }).status === 0;
const skip = hasWidgets ? false : 'ipywidgets is not installed in .venv (scripts/setup.sh --test installs python/requirements-test.txt): widget tests skipped';
if (skip) process.stderr.write(`fidelity-widgets.test: ${skip}\n`);

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** The model ids of the widget views in the outputs, in order. */
function viewIds(nb: Notebook): string[] {
  return nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).flatMap((o) => {
    const view = 'data' in o ? (o.data[WIDGET_VIEW_MIME] as { model_id?: string } | undefined) : undefined;
    return view?.model_id ? [view.model_id] : [];
  });
}

describe('issue 17: widget state (real kernel, real ipywidgets)', { skip }, () => {
  it('saves the final state of every live model; views stay in the outputs; stale state is replaced', async () => {
    const nb = await loadFixture('fidelity', 'widgets.ipynb');
    const outcome = await withKernel({}, (s) => executeNotebook(nb, s, {}));
    assert.equal(outcome.status, 'ok', outcome.headline);
    const state = savedWidgetState(nb);
    assert.ok(state, 'metadata.widgets holds a widget-state document');
    const doc = (nb.metadata.widgets as Record<string, { version_major: number; version_minor: number }>)['application/vnd.jupyter.widget-state+json']!;
    assert.deepEqual([doc.version_major, doc.version_minor], [2, 0]);
    assert.equal(state.stale0000, undefined, 'the input notebook\'s stale model is gone');

    const [sliderId, buttonId, imageId, goneId] = viewIds(nb);
    assert.ok(sliderId && buttonId && imageId && goneId, 'four widget views are kept in the outputs');
    const slider = state[sliderId]!;
    assert.equal(slider.model_name, 'IntSliderModel');
    assert.equal(slider.model_module, '@jupyter-widgets/controls');
    assert.match(slider.model_module_version, /^\d+\.\d+\.\d+$/);
    assert.equal(slider.state.value, 7, 'the value a later cell set');
    assert.equal(slider.state.description, 'Speed');
    // The slider's layout and style models, which its state refers to, are saved too.
    for (const ref of [slider.state.layout, slider.state.style]) {
      assert.match(String(ref), /^IPY_MODEL_/);
      assert.ok(state[String(ref).slice('IPY_MODEL_'.length)], `${String(ref)} is saved`);
    }
    assert.equal(state[buttonId]!.model_name, 'ButtonModel');
    assert.equal(state[buttonId]!.state.description, 'Go');
    // The image's bytes came as a comm buffer: saved base64 with its path, as nbclient does.
    assert.deepEqual(state[imageId]!.buffers, [{ path: ['value'], data: PNG_1x1, encoding: 'base64' }]);
    assert.equal(state[goneId], undefined, 'a closed widget is not saved');

    // The Output widget takes what is printed inside `with out:`, as nbclient's mimic does.
    const outId = viewIds(nb)[4]!;
    assert.equal(state[outId]!.model_name, 'OutputModel');
    assert.deepEqual(state[outId]!.state.outputs, [{ output_type: 'stream', name: 'stdout', text: 'inside\nthe output widget\n' }]);
    const outCell = nb.cells[nb.cells.length - 1]!;
    const cellText = outCell.cell_type === 'code' ? outCell.outputs.map((o) => ('text' in o ? String(o.text) : '')).join('') : '';
    assert.equal(cellText, 'outside\n', 'the captured prints are not in the cell');
  });

  it('the CLI run saves the state and the page shows the final value; check passes although model ids change', async () => {
    const dst = join(tempDir('rn-widgets-'), 'out');
    const r = await runCli(['--notebook', fixture('fidelity', 'widgets.ipynb'), '--dst_dir', dst]);
    assert.equal(r.code, 0, r.stderr);
    const saved = join(dst, 'result_0', 'widgets.ipynb');
    const nb = readJson<Notebook>(saved);
    const [sliderId] = viewIds(nb);
    assert.equal(savedWidgetState(nb)?.[sliderId!]?.state.value, 7);

    const html = readFileSync(join(dst, 'result_0', 'widgets.html'), 'utf8');
    const sliderView = html.match(/<div class="rn-widget rn-widget-IntSliderModel"[\s\S]*?<\/div>/)?.[0] ?? '';
    assert.match(sliderView, /Speed/, html.slice(0, 0));
    assert.match(sliderView, />7</, 'the slider shows its final value');
    assert.match(html, /<button[^>]*disabled[^>]*>Go<\/button>/);
    assert.match(html, /rn-widget-OutputModel[\s\S]*?inside\nthe output widget/, 'the Output widget shows what it captured');

    // A second execution makes new model ids: the stored-outputs check still passes.
    const c = await runCli(['check', saved]);
    assert.equal(c.code, 0, c.stdout + c.stderr);
  });
});

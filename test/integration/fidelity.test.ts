// Issue 17 end to end on a real embedded server: exact parameter values (injected cell,
// config.json, summary, metadata.papermill.parameters), real objects through the helper,
// injection without a parameters cell, and none for a seed-style notebook.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook } from '../../src/notebook/types.js';
import { assertValidNotebook } from '../helpers/nbschema.js';
import { fixture, runCli, tempDir } from './support.js';

const FILES = ['params.ipynb', 'untagged.ipynb', 'seed-style.ipynb', 'configs.py', 'lossless.yaml'];

function workspace(): string {
  const dir = tempDir('rn-fidelity-');
  for (const f of FILES) copyFileSync(fixture('fidelity', f), join(dir, f));
  return dir;
}

const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));
const saved = (dst: string, stem: string) => readFileSync(join(dst, 'result_0', `${stem}.ipynb`), 'utf8');
const injectedCells = (nb: Notebook) => nb.cells.filter((c) => (c.metadata.tags ?? []).includes('injected-parameters'));
const streams = (nb: Notebook) =>
  nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).map((o) => ('text' in o ? text(o.text) : '')).join('');

describe('issue 17: parameters keep their type and value (real server)', () => {
  it('a sweep file: 1.0 and 1e16 stay floats and big integers stay exact in the injected cell, config.json, config.txt, the summary and metadata.papermill', async () => {
    const dir = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', join(dir, 'params.ipynb'), '--config_builder', join(dir, 'lossless.yaml'), '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    const raw = saved(dst, 'params');
    const nb = JSON.parse(raw) as Notebook;
    assertValidNotebook(nb);
    const [cell] = injectedCells(nb);
    assert.ok(cell, 'an injected-parameters cell');
    assert.equal(
      text(cell.source),
      "# Parameters\nwhole = 1.0\nbig = 12345678901234567890\nexact53 = 9007199254740993\nnested = {'ratio': 2.0, 'items': [1, 3.0]}\nsci = 1e+16\n",
    );
    const out = streams(nb);
    assert.match(out, /^whole float 1\.0$/m);
    assert.match(out, /^big int 12345678901234567890$/m);
    assert.match(out, /^exact53 9007199254740993$/m);
    assert.match(out, /^nested \{'ratio': 2\.0, 'items': \[1, 3\.0\]\}$/m);
    assert.match(out, /^sci float 1e\+16 True$/m);
    // metadata.papermill.parameters, as papermill records it, with the exact numbers on disk
    assert.match(raw, /"papermill": \{\s*"parameters": \{\s*"big": 12345678901234567890,\s*"exact53": 9007199254740993,\s*"nested": \{\s*"items": \[\s*1,\s*3\.0\s*\],\s*"ratio": 2\.0\s*\},\s*"sci": 1e\+16,\s*"whole": 1\.0\s*\}\s*\}/);
    const configJson = readFileSync(join(dst, 'result_0', 'config.json'), 'utf8');
    assert.match(configJson, /"whole": 1\.0,/);
    assert.match(configJson, /"big": 12345678901234567890,/);
    assert.match(configJson, /"exact53": 9007199254740993,/);
    assert.match(configJson, /"sci": 1e\+16\n/);
    const configTxt = readFileSync(join(dst, 'result_0', 'config.txt'), 'utf8');
    assert.match(configTxt, /^whole: 1\.0$/m);
    assert.match(configTxt, /^sci: 1e\+16$/m, 'a float in config.txt, not 10000000000000000');
    const summary = readFileSync(join(dst, 'summary.json'), 'utf8');
    assert.match(summary, /"whole": 1\.0/);
    assert.match(summary, /"big": 12345678901234567890/);
    assert.match(summary, /"nested\.ratio": 2\.0/);
    const csv = readFileSync(join(dst, 'summary.csv'), 'utf8').split('\n');
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    assert.equal(row[header.indexOf('whole')], '1.0');
    assert.equal(row[header.indexOf('big')], '12345678901234567890');
    assert.equal(row[header.indexOf('exact53')], '9007199254740993');
    assert.ok(header.includes('sci'));
    assert.match(csv[1]!, /(^|,)1e\+16(,|$)/, 'summary.csv has sci as 1e+16'); // the nested list's quoted commas defeat a split
  });

  it('a Python builder: exact ints, tuples stay tuples, a lambda and an object arrive as the real objects through the helper', async () => {
    const dir = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', join(dir, 'params.ipynb'), '--config_builder', 'lossless()', '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    const nb = JSON.parse(saved(dst, 'params')) as Notebook;
    const [cell] = injectedCells(nb);
    assert.equal(
      text(cell!.source),
      [
        '# Parameters',
        'from run_notebook import get_config_from_env',
        'whole = 1.0',
        'big = 12345678901234567890',
        'exact53 = 9007199254740993',
        'pair = (1, 2)',
        "loss = get_config_from_env()['loss']",
        "model = get_config_from_env()['model']",
        '',
      ].join('\n'),
    );
    const out = streams(nb);
    assert.match(out, /^whole float 1\.0$/m);
    assert.match(out, /^big int 12345678901234567890$/m);
    assert.match(out, /^exact53 9007199254740993$/m);
    assert.match(out, /^pair tuple \(1, 2\)$/m);
    assert.match(out, /^loss 9$/m, 'the lambda is callable');
    assert.match(out, /^model Model 3 True$/m, 'the very object get_config_from_env() returns');
    const configJson = readFileSync(join(dst, 'result_0', 'config.json'), 'utf8');
    assert.match(configJson, /"exact53": 9007199254740993,/);
    assert.match(configJson, /"whole": 1\.0,/);
    assert.match(readFileSync(join(dst, 'summary.json'), 'utf8'), /"exact53": 9007199254740993/);
  });

  it('a notebook without a parameters cell that never reads its config gets the cell at the top, with papermill\'s warning', async () => {
    const dir = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', join(dir, 'untagged.ipynb'), '--config_builder', join(dir, 'lossless.yaml'), '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/warning: Input notebook does not contain a cell with tag 'parameters'/g)?.length, 1, r.stderr);
    const nb = JSON.parse(saved(dst, 'untagged')) as Notebook;
    assert.deepEqual(nb.cells[0]!.metadata.tags, ['injected-parameters']);
    assert.match(streams(nb), /^whole 1\.0 big 12345678901234567890$/m);
  });

  it('a seed-style notebook (reads get_config_from_env()) gets no injected cell, as before', async () => {
    const dir = workspace();
    const dst = join(dir, 'out');
    const r = await runCli(['--notebook', join(dir, 'seed-style.ipynb'), '--config_builder', join(dir, 'lossless.yaml'), '--dst_dir', dst, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const nb = JSON.parse(saved(dst, 'seed-style')) as Notebook;
    assert.equal(injectedCells(nb).length, 0);
    assert.equal(nb.metadata.papermill, undefined);
    assert.match(streams(nb), /^cfg 1\.0$/m);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  addErrorMarker,
  injectParameters,
  notebookSourceDigest,
  OutputCollector,
  parseNotebook,
  serializeNotebook,
} from '../../../src/notebook/index.js';
import type { CodeCell, Notebook } from '../../../src/notebook/types.js';

const load = (): Notebook => parseNotebook(readFileSync('fixtures/notebook/v4.4-no-ids.ipynb', 'utf8'), 'nb');

test('a sha256 hex digest, the same for two reads of one file (ids differ)', () => {
  const a = load();
  const b = load();
  assert.notEqual(a.cells[0]!.id, b.cells[0]!.id);
  assert.match(notebookSourceDigest(a), /^[0-9a-f]{64}$/);
  assert.equal(notebookSourceDigest(a), notebookSourceDigest(b));
});

test('stable across a run: outputs, counts, timing metadata, injected parameters, error markers', () => {
  const source = load();
  const digest = notebookSourceDigest(source);
  const run = parseNotebook(serializeNotebook(source), 'copy');
  injectParameters(run, { lr: 0.1 }, 'python');
  const collector = new OutputCollector(run);
  const code = run.cells.find((c, i) => c.cell_type === 'code' && i > 1) as CodeCell;
  collector.startCell(code);
  collector.handle('execute_input', { execution_count: 12 });
  collector.handle('stream', { name: 'stdout', text: 'new output' });
  collector.endCell();
  code.metadata.execution = { 'shell.execute_reply': '2030-01-01T00:00:00Z' };
  run.metadata.papermill = { parameters: { lr: 0.1 } };
  addErrorMarker(run, run.cells.indexOf(code), 'Error: x');
  assert.equal(notebookSourceDigest(run), digest);
});

test('changes with a source edit, a cell type, a tag or the cell order', () => {
  const base = notebookSourceDigest(load());
  const edit = load();
  edit.cells[1]!.source += ' ';
  const type = load();
  type.cells[3] = { ...type.cells[3]!, cell_type: 'markdown' } as Notebook['cells'][number];
  const tag = load();
  tag.cells[0]!.metadata.tags = ['intro', 'more'];
  const order = load();
  order.cells.reverse();
  const digests = [edit, type, tag, order].map(notebookSourceDigest);
  for (const d of digests) assert.notEqual(d, base);
  assert.equal(new Set(digests).size, 4);
});

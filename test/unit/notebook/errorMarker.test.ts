import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  addErrorMarker,
  ERROR_ANCHOR_ID,
  ERROR_MARKER_TAG,
  errorMarkerKind,
  parseNotebook,
  removeErrorMarkers,
  serializeNotebook,
} from '../../../src/notebook/index.js';
import type { Notebook } from '../../../src/notebook/types.js';
import { assertValidNotebook } from '../../helpers/nbschema.js';

function sample(): Notebook {
  return parseNotebook(readFileSync('fixtures/notebook/rich.ipynb', 'utf8'), 'rich');
}

test('a banner at the top and an anchor just before the failing cell', () => {
  const nb = sample();
  const failing = nb.cells[2]!; // the empty code cell, index 2
  (failing as { execution_count: number | null }).execution_count = 4;
  addErrorMarker(nb, 2, 'ZeroDivisionError: division by zero');
  assert.equal(nb.cells.length, 7);
  const [banner] = nb.cells;
  assert.equal(errorMarkerKind(banner!), 'banner');
  assert.equal(errorMarkerKind(nb.cells[3]!), 'anchor');
  assert.equal(nb.cells[4], failing);
  assert.equal(banner!.cell_type, 'markdown');
  assert.deepEqual(banner!.metadata, { tags: [ERROR_MARKER_TAG], run_notebook: { error_marker: 'banner' } });
  assert.match(banner!.source, /Execution failed at cell 3 \(In \[4\]\)/);
  assert.ok(banner!.source.includes(`](#${ERROR_ANCHOR_ID})`), 'links to the anchor');
  assert.ok(banner!.source.includes('ZeroDivisionError: division by zero'));
  assert.ok(nb.cells[3]!.source.includes(`id="${ERROR_ANCHOR_ID}"`));
  assertValidNotebook(nb);
});

test('the headline is shown verbatim, even with backticks and HTML', () => {
  const nb = sample();
  const headline = 'ValueError: <b>not bold</b> and ``` fences ```';
  addErrorMarker(nb, 1, headline);
  const banner = nb.cells[0]!.source;
  assert.ok(banner.includes('````text\n' + headline + '\n````'), banner);
});

test('markers never stack, and removeErrorMarkers restores the notebook', () => {
  const nb = sample();
  const original = serializeNotebook(nb);
  addErrorMarker(nb, 1, 'first');
  const raw = nb.cells.find((c) => c.cell_type === 'raw')!;
  addErrorMarker(nb, nb.cells.indexOf(raw), 'second');
  assert.equal(nb.cells.filter((c) => errorMarkerKind(c) !== null).length, 2);
  assert.ok(nb.cells[0]!.source.includes('second'));
  assert.ok(!nb.cells[0]!.source.includes('first'));
  assert.match(nb.cells[0]!.source, /failed at cell 4\./, 'numbered as in the notebook without markers');
  const at = nb.cells.indexOf(raw);
  assert.equal(errorMarkerKind(nb.cells[at - 1]!), 'anchor', 'the anchor sits just before the failing cell');
  assert.equal(removeErrorMarkers(nb), 2);
  assert.equal(serializeNotebook(nb), original);
});

test('markers are recognised after a save and reload', () => {
  const nb = sample();
  addErrorMarker(nb, 1, 'boom');
  const reloaded = parseNotebook(serializeNotebook(nb), 'saved');
  assert.equal(removeErrorMarkers(reloaded), 2);
  assert.equal(reloaded.cells.length, 5);
});

test('a bad index is an error', () => {
  assert.throws(() => addErrorMarker(sample(), 99, 'x'), RangeError);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NotebookFormatError, parseNotebook, readNotebook } from '../../../src/notebook/index.js';
import type { CodeCell, MarkdownCell } from '../../../src/notebook/types.js';
import { assertValidNotebook } from '../../helpers/nbschema.js';

const fixture = (name: string) => path.join('fixtures', 'notebook', name);
const text = (name: string) => readFileSync(fixture(name), 'utf8');

test('multiline values are joined; JSON mime values stay objects', () => {
  const nb = parseNotebook(text('rich.ipynb'), 'rich.ipynb');
  const md = nb.cells[0] as MarkdownCell;
  assert.equal(md.source, '# Title ünïcödé 😀\n\nText with **bold**,\r\nCRLF, a form\ffeed, a line\u2028separator and tabs\t.\n');
  assert.equal(md.attachments!['pic.png']!['text/plain'], 'alt\ntext');
  assert.equal(typeof md.attachments!['pic.png']!['image/png'], 'string');
  const code = nb.cells[1] as CodeCell;
  assert.equal(code.source, "import sys\nprint('hi')\nprint('\\x01', file=sys.stderr)\nx = 1");
  assert.deepEqual(code.outputs[0], { output_type: 'stream', name: 'stdout', text: 'hi\nsecond line\n' });
  const result = code.outputs[2]!;
  assert.equal(result.output_type, 'execute_result');
  if (result.output_type !== 'execute_result') return;
  assert.equal(result.data['text/plain'], '1\n2');
  assert.equal(result.data['text/html'], '<b>x</b>\n<i>y</i>\n');
  assert.deepEqual(result.data['application/json'], { a: [1, 2, 'x\ny'], b: { c: 1.5 } });
  assert.deepEqual(result.data['application/vnd.custom+json'], { k: 'v\nw' });
  assert.equal(result.data['application/x-other'], 'not\nsplit');
  const error = code.outputs[4]!;
  assert.equal(error.output_type, 'error');
  if (error.output_type === 'error') assert.deepEqual(error.traceback, ['\x1b[0;31mValueError\x1b[0m', 'line 2\nwith newline']);
});

test('transient keys are dropped on read, ids kept', () => {
  const nb = parseNotebook(text('rich.ipynb'), 'rich.ipynb');
  assert.equal(nb.metadata.signature, undefined);
  assert.equal(nb.cells[1]!.metadata.trusted, undefined);
  assert.equal(nb.cells[1]!.metadata.collapsed, false);
  assert.deepEqual(
    nb.cells.map((c) => c.id),
    ['md-1', 'code-1', 'code-empty', 'raw-1', 'md-2'],
  );
});

test('a compact, unsplit, unsorted file reads the same as the canonical one', () => {
  assert.deepEqual(parseNotebook(text('compact.ipynb'), 'c'), parseNotebook(text('rich.ipynb'), 'r'));
});

test('nbformat 4.4 without ids: every cell gets a unique 8-hex id and minor becomes 5', () => {
  const nb = parseNotebook(text('v4.4-no-ids.ipynb'), 'v44');
  assert.equal(nb.nbformat_minor, 5);
  const ids = nb.cells.map((c) => c.id);
  for (const id of ids) assert.match(id!, /^[0-9a-f]{8}$/);
  assert.equal(new Set(ids).size, ids.length);
  assertValidNotebook(nb, 'upgraded 4.4');
});

test('missing, invalid and duplicate ids are repaired; valid ones kept', () => {
  let n = 0;
  const doc = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { id: 'same', cell_type: 'markdown', metadata: {}, source: 'a' },
      { id: 'same', cell_type: 'markdown', metadata: {}, source: 'b' },
      { id: 'not valid!', cell_type: 'markdown', metadata: {}, source: 'c' },
      { cell_type: 'raw', metadata: {}, source: 'd' },
    ],
  };
  const nb = parseNotebook(JSON.stringify(doc), 'ids', { newCellId: () => `new${n++}` });
  assert.deepEqual(
    nb.cells.map((c) => c.id),
    ['same', 'new0', 'new1', 'new2'],
  );
});

test('code cells lacking outputs / execution_count / metadata get defaults', () => {
  const doc = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'a', cell_type: 'code', source: ['x = 1\n', 'y'] }] };
  const nb = parseNotebook(JSON.stringify(doc), 'defaults');
  assert.deepEqual(nb.cells[0], { id: 'a', cell_type: 'code', source: 'x = 1\ny', metadata: {}, outputs: [], execution_count: null });
  assertValidNotebook(nb);
});

test('nbformat 3 is upgraded: worksheets, headings, pyout, pyerr, short mime keys', () => {
  const nb = parseNotebook(text('v3.ipynb'), 'v3.ipynb');
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  assert.deepEqual(nb.metadata, {});
  assert.deepEqual(
    nb.cells.map((c) => [c.cell_type, c.source]),
    [
      ['markdown', '## A heading on two lines'],
      ['markdown', 'Some *text*\nmore'],
      ['code', "print('hi')\n1 + 1"],
      ['raw', 'raw text'],
    ],
  );
  const code = nb.cells[2] as CodeCell;
  assert.equal(code.execution_count, 3);
  assert.equal(code.metadata.collapsed, false);
  assert.deepEqual(code.outputs, [
    { output_type: 'stream', name: 'stdout', text: 'hi\n' },
    { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2', 'text/html': '<b>2</b>', 'application/json': { a: 1 } }, metadata: {} },
    { output_type: 'error', ename: 'NameError', evalue: "name 'y' is not defined", traceback: ["NameError: name 'y' is not defined"] },
    { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>' }, metadata: { 'image/png': { width: 3 } } },
  ]);
  assertValidNotebook(nb, 'upgraded v3');
});

function formatError(fn: () => unknown): NotebookFormatError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof NotebookFormatError, `expected NotebookFormatError, got ${String(err)}`);
    assert.ok(!err.message.includes('\n'), 'message is one line');
    return err;
  }
  assert.fail('expected an error');
}

test('broken JSON names the file, line and column', () => {
  const err = formatError(() => parseNotebook(text('broken.ipynb'), 'fixtures/notebook/broken.ipynb'));
  assert.equal(err.message, "fixtures/notebook/broken.ipynb: not a notebook: invalid JSON (expected ',' or '}' at line 5, column 4)");
  assert.equal(err.exitCode, 2);
});

test('other format problems each give one clear line', () => {
  assert.match(formatError(() => parseNotebook(text('no-cells.ipynb'), 'x.ipynb')).message, /^x\.ipynb: not a valid notebook: no "cells" list$/);
  assert.match(formatError(() => parseNotebook(text('v2.ipynb'), 'old.ipynb')).message, /^old\.ipynb: nbformat 2 is too old; convert it first with: jupyter nbconvert --to notebook --nbformat 4/);
  assert.match(formatError(() => parseNotebook('{"nbformat": 5, "cells": []}', 'f.ipynb')).message, /nbformat 5 is not supported/);
  assert.match(formatError(() => parseNotebook('[1, 2]', 'f.ipynb')).message, /^f\.ipynb: not a notebook: the JSON is not an object$/);
  assert.match(formatError(() => parseNotebook('{"cells": []}', 'f.ipynb')).message, /no "nbformat" version field/);
  assert.match(formatError(() => parseNotebook('', 'f.ipynb')).message, /invalid JSON \(unexpected end of input at line 1, column 1\)/);
  assert.match(
    formatError(() => parseNotebook('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "heading", "source": ""}]}', 'f.ipynb')).message,
    /cell 1 has unknown cell_type "heading"/,
  );
});

test('readNotebook: missing file, directory, non-UTF-8', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbread-'));
  await assert.rejects(readNotebook(path.join(dir, 'nope.ipynb')), (err: unknown) => {
    assert.ok(err instanceof NotebookFormatError);
    assert.equal(err.message, `${path.join(dir, 'nope.ipynb')}: file not found`);
    return true;
  });
  mkdirSync(path.join(dir, 'd.ipynb'));
  await assert.rejects(readNotebook(path.join(dir, 'd.ipynb')), /is a directory/);
  writeFileSync(path.join(dir, 'latin1.ipynb'), Buffer.from([0x7b, 0xe9, 0x7d]));
  await assert.rejects(readNotebook(path.join(dir, 'latin1.ipynb')), /not UTF-8 text/);
  const nb = await readNotebook(fixture('rich.ipynb'));
  assert.equal(nb.cells.length, 5);
});

test('a UTF-8 byte order mark is tolerated', () => {
  const nb = parseNotebook('\ufeff' + text('rich.ipynb'), 'bom');
  assert.equal(nb.cells.length, 5);
});

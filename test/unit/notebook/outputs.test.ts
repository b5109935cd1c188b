import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputCollector, RECORD_MIME, serializeNotebook, type RecordValue } from '../../../src/notebook/index.js';
import type { CodeCell, Notebook } from '../../../src/notebook/types.js';
import { assertValidNotebook } from '../../helpers/nbschema.js';

function code(id: string, outputs: CodeCell['outputs'] = []): CodeCell {
  return { id, cell_type: 'code', metadata: {}, source: 'x', execution_count: 3, outputs };
}

function notebook(...cells: CodeCell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

const stdout = (text: string) => ({ name: 'stdout', text });
const stderr = (text: string) => ({ name: 'stderr', text });
const display = (text: string, displayId?: string) => ({
  data: { 'text/plain': text },
  metadata: {},
  ...(displayId ? { transient: { display_id: displayId } } : {}),
});

test('startCell clears old outputs and the execution count', () => {
  const cell = code('a', [{ output_type: 'stream', name: 'stdout', text: 'old' }]);
  const c = new OutputCollector(notebook(cell));
  c.startCell(0);
  assert.deepEqual(cell.outputs, []);
  assert.equal(cell.execution_count, null);
  c.handle('execute_input', { code: 'x', execution_count: 5 });
  assert.equal(cell.execution_count, 5);
});

test('consecutive streams of one name merge; a different name or output starts a new one', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('stream', stdout('a\n'));
  c.handle('stream', stdout('b\n'));
  c.handle('stream', stderr('warn\n'));
  c.handle('stream', stdout('c\n'));
  c.handle('display_data', display('D'));
  c.handle('stream', stdout('d\n'));
  c.endCell();
  assert.deepEqual(cell.outputs, [
    { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
    { output_type: 'stream', name: 'stderr', text: 'warn\n' },
    { output_type: 'stream', name: 'stdout', text: 'c\n' },
    { output_type: 'display_data', data: { 'text/plain': 'D' }, metadata: {} },
    { output_type: 'stream', name: 'stdout', text: 'd\n' },
  ]);
});

test('carriage returns across messages rewrite the current line', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('stream', stdout('start\n'));
  for (let i = 0; i <= 100; i += 25) c.handle('stream', stdout(`\r${i}%`));
  c.handle('stream', stdout('\n'));
  assert.deepEqual(cell.outputs, [{ output_type: 'stream', name: 'stdout', text: 'start\n100%\n' }]);
});

test('stream text is current after every message (partial saves see it)', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('stream', stdout('one '));
  assert.equal((cell.outputs[0] as { text: string }).text, 'one ');
  c.handle('stream', stdout('two'));
  assert.equal((cell.outputs[0] as { text: string }).text, 'one two');
});

test('execute_result, display_data and error are stored as nbformat outputs; transient is dropped', () => {
  const cell = code('a');
  const nb = notebook(cell);
  const c = new OutputCollector(nb);
  c.startCell(cell);
  c.handle('execute_result', { data: { 'text/plain': '42', 'application/json': { a: 1 } }, metadata: { m: 1 }, execution_count: 9, transient: {} });
  c.handle('display_data', { data: { 'image/png': 'AAAA' }, metadata: {}, transient: { display_id: 'p' } });
  c.handle('error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb1', 'tb2'] });
  c.handle('status', { execution_state: 'idle' });
  c.endCell();
  assert.equal(cell.execution_count, 9);
  assert.deepEqual(cell.outputs, [
    { output_type: 'execute_result', execution_count: 9, data: { 'text/plain': '42', 'application/json': { a: 1 } }, metadata: { m: 1 } },
    { output_type: 'display_data', data: { 'image/png': 'AAAA' }, metadata: {} },
    { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb1', 'tb2'] },
  ]);
  assert.ok(!serializeNotebook(nb).includes('transient'));
  assertValidNotebook(nb);
});

test('update_display_data reaches outputs of earlier cells, even while another cell runs', () => {
  const first = code('a');
  const second = code('b');
  const nb = notebook(first, second);
  const c = new OutputCollector(nb);
  c.startCell(first);
  c.handle('display_data', display('v1', 'bar'));
  c.handle('display_data', display('other', 'baz'));
  c.endCell();
  c.startCell(second);
  c.handle('display_data', display('v1 again', 'bar'));
  // now both outputs with id "bar" show "v1 again" (a display with a known id updates the others too)
  assert.equal((first.outputs[0] as { data: object }).data['text/plain' as never], 'v1 again');
  c.handle('update_display_data', { data: { 'text/plain': 'v2' }, metadata: { updated: true }, transient: { display_id: 'bar' } });
  c.endCell();
  c.handle('update_display_data', { data: { 'text/plain': 'v3' }, metadata: {}, transient: { display_id: 'bar' } });
  c.handle('update_display_data', { data: { 'text/plain': 'ignored' }, metadata: {}, transient: { display_id: 'unknown' } });
  assert.deepEqual(first.outputs, [
    { output_type: 'display_data', data: { 'text/plain': 'v3' }, metadata: {} },
    { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} },
  ]);
  assert.deepEqual(second.outputs, [{ output_type: 'display_data', data: { 'text/plain': 'v3' }, metadata: {} }]);
  // updates never create outputs
  assert.equal(first.outputs.length + second.outputs.length, 3);
});

test('update_display_data changes metadata as well as data', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('display_data', { data: { 'text/plain': 'a' }, metadata: { old: 1 }, transient: { display_id: 'x' } });
  c.handle('update_display_data', { data: { 'text/html': '<b>b</b>' }, metadata: { new: 2 }, transient: { display_id: 'x' } });
  assert.deepEqual(cell.outputs, [{ output_type: 'display_data', data: { 'text/html': '<b>b</b>' }, metadata: { new: 2 } }]);
});

test('clear_output clears at once; clear_output(wait) clears when the next output arrives', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('stream', stdout('one\n'));
  c.handle('clear_output', { wait: false });
  assert.deepEqual(cell.outputs, []);
  c.handle('stream', stdout('two\n'));
  c.handle('clear_output', { wait: true });
  assert.deepEqual(cell.outputs, [{ output_type: 'stream', name: 'stdout', text: 'two\n' }], 'still there while waiting');
  c.handle('stream', stdout('three\n'));
  assert.deepEqual(cell.outputs, [{ output_type: 'stream', name: 'stdout', text: 'three\n' }]);
  c.handle('stream', stdout('four\n'));
  assert.deepEqual(cell.outputs, [{ output_type: 'stream', name: 'stdout', text: 'three\nfour\n' }], 'the wait clears only once');
});

test('a pending clear_output(wait) is dropped when the cell ends', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('display_data', display('keep'));
  c.handle('clear_output', { wait: true });
  c.endCell();
  assert.equal(cell.outputs.length, 1);
});

test('cleared outputs leave the display-id registry', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  c.handle('display_data', display('v1', 'd'));
  c.handle('clear_output', { wait: true });
  c.handle('display_data', display('fresh'));
  c.handle('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } });
  assert.deepEqual(cell.outputs, [{ output_type: 'display_data', data: { 'text/plain': 'fresh' }, metadata: {} }]);
});

test('record outputs are not stored and go to onRecord; streams go to onText raw', () => {
  const cell = code('a');
  const records: RecordValue[] = [];
  const texts: Array<[string, string]> = [];
  const c = new OutputCollector(notebook(cell), { onRecord: (r) => records.push(r), onText: (n, t) => texts.push([n, t]) });
  c.startCell(cell);
  c.handle('stream', stdout('a'));
  c.handle('display_data', { data: { [RECORD_MIME]: { name: 'loss', value: 0.25 }, 'text/plain': 'loss=0.25' }, metadata: {} });
  c.handle('stream', stdout('\rb\n'));
  c.handle('stream', stderr('e'));
  c.handle('display_data', { data: { [RECORD_MIME]: 'not an object' }, metadata: {} });
  c.endCell();
  assert.deepEqual(records, [{ name: 'loss', value: 0.25 }]);
  assert.deepEqual(texts, [
    ['stdout', 'a'],
    ['stdout', '\rb\n'],
    ['stderr', 'e'],
  ]);
  // the record did not interrupt the stdout stream
  assert.deepEqual(cell.outputs, [
    { output_type: 'stream', name: 'stdout', text: 'b\n' },
    { output_type: 'stream', name: 'stderr', text: 'e' },
  ]);
});

test('a record does not trigger a pending clear', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell), { onRecord: () => {} });
  c.startCell(cell);
  c.handle('display_data', display('keep'));
  c.handle('clear_output', { wait: true });
  c.handle('display_data', { data: { [RECORD_MIME]: { name: 'n', value: 1 } }, metadata: {} });
  assert.equal(cell.outputs.length, 1);
});

test('output messages between cells are ignored', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.handle('stream', stdout('stray'));
  c.handle('error', { ename: 'E', evalue: '', traceback: [] });
  assert.deepEqual(cell.outputs, []);
  assert.throws(() => c.startCell(5), /not a code cell/);
});

test('a 10 MB stream in many small messages ends up as one output', () => {
  const cell = code('a');
  const c = new OutputCollector(notebook(cell));
  c.startCell(cell);
  const chunk = 'y'.repeat(99) + '\n';
  for (let i = 0; i < 100_000; i++) c.handle('stream', stdout(chunk));
  c.endCell();
  assert.equal(cell.outputs.length, 1);
  const text = (cell.outputs[0] as { text: string }).text;
  assert.equal(text.length, 10_000_000);
  assert.equal(text, chunk.repeat(100_000));
});

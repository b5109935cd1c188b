// Comparison details beyond the per-rule fixtures: stream normalization, diff text, pairing,
// smoke mode, cells after an error, durations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkExecuted,
  compareNotebooks,
  comparableOutputs,
  normalizeStreamText,
  pairCells,
  unifiedDiff,
} from '../../../src/check/index.js';
import type { Output } from '../../../src/notebook/types.js';
import { code, nb, plain, ruleFixture, stdout } from './helpers.js';

const err = (ename: string, evalue: string): Output => ({ output_type: 'error', ename, evalue, traceback: [] });

test('stream text: \\r rewrites the line, \\r\\n is a newline, backspace erases', () => {
  assert.equal(normalizeStreamText('10%\r50%\r100%\nok\n'), '100%\nok\n');
  assert.equal(normalizeStreamText('a\r\nb\r\n'), 'a\nb\n');
  assert.equal(normalizeStreamText('done\r'), 'done', 'a trailing \\r erases nothing');
  assert.equal(normalizeStreamText('abc\b\bX\n'), 'aX\n');
});

test('outputs are keyed: streams merged per name, mimes in order, errors as ename: evalue, uncompared mimes dropped', () => {
  const outs: Output[] = [
    stdout('a\n'),
    { output_type: 'display_data', data: { 'text/plain': 'P1', 'application/javascript': 'x()', 'application/vnd.jupyter.widget-view+json': { model_id: 'ab' } }, metadata: {} },
    { output_type: 'stream', name: 'stderr', text: 'w\n' },
    stdout('b\n'),
    plain('P2'),
    err('ValueError', 'bad'),
    stdout(''),
  ];
  const m = comparableOutputs(outs, { compareImages: false, sanitizers: [] });
  assert.deepEqual([...m.entries()], [
    ['stdout', ['a\nb\n']],
    ['text/plain', ['P1', 'P2']],
    ['stderr', ['w\n']],
    ['error', ['ValueError: bad']],
  ]);
});

test('an empty stream counts as no stream', () => {
  const r = compareNotebooks(nb(code('x', [])), nb(code('x', [stdout('')])), {});
  assert.equal(r[0]!.status, 'passed');
});

test('order across keys does not matter, order within a key does', () => {
  const e = nb(code('x', [stdout('s\n'), plain('1'), plain('2')]));
  assert.equal(compareNotebooks(e, nb(code('x', [plain('1'), plain('2'), stdout('s\n')])), {})[0]!.status, 'passed');
  const swapped = compareNotebooks(e, nb(code('x', [stdout('s\n'), plain('2'), plain('1')])), {})[0]!;
  assert.equal(swapped.status, 'failed');
  assert.match(swapped.diff!, /\[output 1\]/, 'several outputs under one key are labelled');
});

test('unifiedDiff: headers, hunks, equal texts, and a difference only in the final newline', () => {
  assert.equal(unifiedDiff('text/plain', 'same', 'same'), '');
  assert.equal(unifiedDiff('text/plain', 'a\nb\nc', 'a\nB\nc'), '--- expected text/plain\n+++ got text/plain\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  assert.equal(unifiedDiff('stdout', 'x\n', 'x'), '--- expected stdout\n+++ got stdout\n(the texts differ only in a final newline, which expected has)\n');
});

test('unifiedDiff: texts too different to diff cheaply become one whole replacement hunk', () => {
  const n = 600; // 1200 line edits, above the limit
  const a = Array.from({ length: n }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: n }, (_, i) => `b${i}`).join('\n');
  const d = unifiedDiff('text/plain', a, b);
  const lines = d.split('\n');
  assert.deepEqual(lines.slice(0, 4), ['--- expected text/plain', '+++ got text/plain', '(more than 1000 lines changed: showing both texts whole)', `@@ -1,${n} +1,${n} @@`]);
  assert.equal(lines.filter((l) => l.startsWith('-a')).length, n);
  assert.equal(lines.filter((l) => l.startsWith('+b')).length, n);
  // a few changes in a long text still get a real diff
  const c = b.replace('b300', 'B300');
  assert.match(unifiedDiff('text/plain', b, c), /^@@ -298,7 \+298,7 @@\n b297\n b298\n b299\n-b300\n\+B300\n/m);
});

test('the message names the differing keys and notes a changed source', () => {
  const r = compareNotebooks(nb(code('print(1)', [stdout('1\n')])), nb(code('print(2)', [stdout('2\n')])), {})[0]!;
  assert.equal(r.message, 'outputs differ: stdout (the cell source differs from the expected notebook too)');
});

test('pairing: ids when complete, unique and shared; position otherwise', () => {
  const withIds = (...ids: (string | undefined)[]) => nb(...ids.map((id) => code('x', [], id ? { id } : {})));
  assert.equal(pairCells(withIds('a', 'b'), withIds('b', 'a')).by, 'id');
  assert.equal(pairCells(withIds('a', 'b'), withIds('c', 'd')).by, 'position', 'no shared ids: freshly generated ids');
  assert.equal(pairCells(withIds('a', 'a'), withIds('a', 'b')).by, 'position', 'duplicate ids');
  assert.equal(pairCells(withIds('a', undefined), withIds('a', 'b')).by, 'position', 'a missing id');
  const { pairs } = pairCells(withIds('a', 'gone'), withIds('a', 'new'));
  assert.deepEqual(pairs.map((p) => [p.expected?.cell.id, p.actual?.cell.id]), [['a', 'a'], [undefined, 'new'], ['gone', undefined]]);
});

test('a cell missing from the executed notebook fails; one that is skipped there is skipped', () => {
  const e = nb(code('a', [stdout('1\n')], { id: 'a' }), code('b', [stdout('2\n')], { id: 'b' }));
  const r = compareNotebooks(e, nb(code('a', [stdout('1\n')], { id: 'a' })), {});
  assert.deepEqual(r.map((c) => c.status), ['passed', 'failed']);
  assert.match(r[1]!.message!, /no cell with id "b"/);
  const pos = compareNotebooks(nb(code('a', [stdout('1\n')]), code('b', [stdout('2\n')])), nb(code('a', [stdout('1\n')])), {});
  assert.match(pos[1]!.message!, /fewer code cells/);
  const skipE = nb(code('a', [stdout('1\n')], { id: 'a' }), code('# NBVAL_SKIP\nb', [stdout('2\n')], { id: 's' }));
  assert.deepEqual(compareNotebooks(skipE, nb(code('a', [stdout('1\n')], { id: 'a' })), {}).map((c) => c.status), ['passed', 'skipped']);
});

test('cellIndex counts every cell as the user wrote them, skipping the injected parameters and error markers', () => {
  const { expected, pass } = ruleFixture('match-by-id');
  // pass.ipynb: md, md, [injected-parameters], a, b, c
  assert.deepEqual(compareNotebooks(expected, pass, {}).map((c) => c.cellIndex), [2, 3, 4]);
  const marker = { cell_type: 'markdown' as const, source: 'failed', metadata: { tags: ['run-notebook-error-marker'] } };
  const r = compareNotebooks(nb(code('a'), code('b')), nb(marker, code('a'), code('b')), {});
  assert.deepEqual(r.map((c) => c.cellIndex), [0, 1]);
});

test('after an unexpected error, cells that did not run are skipped; cells that did run are still compared', () => {
  const e = nb(code('a', [stdout('1\n')]), code('1/0', [stdout('x\n')]), code('c', [stdout('3\n')]), code('d', [stdout('4\n')]));
  const stopped = nb(code('a', [stdout('1\n')]), code('1/0', [err('ZeroDivisionError', 'division by zero')]), code('c', [], { execution_count: null }), code('d', [], { execution_count: null }));
  const r = compareNotebooks(e, stopped, {});
  assert.deepEqual(r.map((c) => c.status), ['passed', 'error', 'skipped', 'skipped']);
  assert.equal(r[1]!.message, 'ZeroDivisionError: division by zero');
  assert.equal(r[2]!.message, 'not executed: cell 2 raised an error');
  const ranOn = nb(code('a', [stdout('1\n')]), code('1/0', [err('ZeroDivisionError', 'division by zero')]), code('c', [stdout('3\n')]), code('d', [stdout('5\n')]));
  assert.deepEqual(compareNotebooks(e, ranOn, {}).map((c) => c.status), ['passed', 'error', 'passed', 'failed']);
});

test('a cell that did not run although nothing raised is compared (and fails on missing output)', () => {
  const r = compareNotebooks(nb(code('a', [stdout('1\n')])), nb(code('a', [], { execution_count: null })), {});
  assert.equal(r[0]!.status, 'failed');
});

test('ignore-output does not hide an unexpected error; lax does not either', () => {
  const e = nb(code('# NBVAL_IGNORE_OUTPUT\nf()', [stdout('1\n')]));
  const a = nb(code('# NBVAL_IGNORE_OUTPUT\nf()', [err('NameError', "name 'f' is not defined")]));
  assert.equal(compareNotebooks(e, a, {})[0]!.status, 'error');
  assert.equal(compareNotebooks(nb(code('f()', [stdout('1\n')])), nb(code('f()', [err('E', 'v')])), { lax: true })[0]!.status, 'error');
});

test('an error inside evalue is sanitized and only its first line is the message', () => {
  const e = nb(code('f()', [err('OSError', 'cannot open /tmp/tmpaaa/x')], { metadata: { tags: ['raises-exception'] } }));
  const a = nb(code('f()', [err('OSError', 'cannot open /tmp/tmpbbb/x')], { metadata: { tags: ['raises-exception'] } }));
  assert.equal(compareNotebooks(e, a, {})[0]!.status, 'passed');
  const multi = compareNotebooks(nb(code('f()')), nb(code('f()', [err('E', 'line one\nline two')])), {})[0]!;
  assert.equal(multi.message, 'E: line one');
  const colored = compareNotebooks(nb(code('f()')), nb(code('f()', [err('E', '\x1b[31mred\x1b[0m')])), {})[0]!;
  assert.equal(colored.message, 'E: red');
});

test('user sanitizers run before the built-ins', () => {
  const seen: string[] = [];
  const spy = { name: 'spy', regex: /0x[0-9a-f]+/g, replace: (m: string) => (seen.push(m), 'ADDR') };
  compareNotebooks(nb(code('o', [plain('<o at 0x7f3a1c2b4d50>')])), nb(code('o', [plain('<o at 0x7f3a1c2b4d51>')])), { sanitizers: [spy] });
  assert.deepEqual(seen.sort(), ['0x7f3a1c2b4d50', '0x7f3a1c2b4d51']);
});

test('durationMs comes from the executed cell\'s metadata.execution timestamps', () => {
  const timed = code('a', [], { metadata: { execution: { 'iopub.execute_input': '2026-01-01T00:00:00.000Z', 'shell.execute_reply': '2026-01-01T00:00:01.250Z' } } });
  assert.equal(compareNotebooks(nb(code('a')), nb(timed), {})[0]!.durationMs, 1250);
  assert.equal(compareNotebooks(nb(code('a')), nb(code('a')), {})[0]!.durationMs, undefined);
});

test('smoke (checkExecuted): passed / error / skipped, no output comparison', () => {
  const { fail } = ruleFixture('unexpected-error');
  assert.deepEqual(checkExecuted(fail).map((c) => c.status), ['error', 'skipped']);
  const { fail: changed } = ruleFixture('text-plain');
  assert.deepEqual(checkExecuted(changed).map((c) => c.status), ['passed'], 'changed outputs are fine in smoke mode');
  const { pass: skipped } = ruleFixture('marker-skip-tag');
  assert.deepEqual(checkExecuted(skipped).map((c) => c.status), ['skipped', 'passed']);
  const { pass: raised } = ruleFixture('marker-raises-tag');
  assert.deepEqual(checkExecuted(raised).map((c) => c.status), ['passed', 'passed']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellCheckMode } from '../../../src/check/index.js';
import { code } from './helpers.js';

const tagged = (tags: string[], source = 'x') => code(source, [], { metadata: { tags } });

test('an unmarked code cell is executed and compared, and compared only without lax', () => {
  assert.deepEqual(cellCheckMode(code('x = 1')), { execute: true, compareOutputs: true, raisesException: false, markers: [] });
  assert.equal(cellCheckMode(code('x = 1'), true).compareOutputs, false);
});

test('skip markers: the cell is not executed (comment and both tags); other tags are not skip', () => {
  for (const cell of [code('# NBVAL_SKIP\nslow()'), tagged(['nbval-skip']), tagged(['skip-execution'])]) {
    const m = cellCheckMode(cell);
    assert.equal(m.execute, false, JSON.stringify(cell));
    assert.equal(m.compareOutputs, false);
  }
  assert.equal(cellCheckMode(tagged(['parameters'])).execute, true);
  assert.equal(cellCheckMode(code('# NBVAL_SKIP is mentioned here\nslow()')).execute, true, 'the marker must be the whole comment');
  assert.equal(cellCheckMode(code('print("# NBVAL_SKIP")')).execute, true, 'not a comment line');
});

test('raises markers: comment and both tags allow an error; nothing else does', () => {
  for (const cell of [code('  #NBVAL_RAISES_EXCEPTION  \n1/0'), tagged(['raises-exception']), tagged(['nbval-raises-exception'])]) {
    assert.equal(cellCheckMode(cell).raisesException, true, JSON.stringify(cell));
    assert.equal(cellCheckMode(cell).execute, true);
  }
  assert.equal(cellCheckMode(code('1/0')).raisesException, false);
});

test('ignore-output: comment (## and spacing tolerated), tag, and the legacy spelling turn comparison off', () => {
  for (const cell of [code('## NBVAL_IGNORE_OUTPUT\nx'), tagged(['nbval-ignore-output']), code('# PYTEST_VALIDATE_IGNORE_OUTPUT\nx')]) {
    const m = cellCheckMode(cell);
    assert.equal(m.compareOutputs, false, JSON.stringify(cell));
    assert.equal(m.execute, true);
  }
});

test('check-output turns comparison on under lax (comment and tag)', () => {
  assert.equal(cellCheckMode(code('# NBVAL_CHECK_OUTPUT\nx'), true).compareOutputs, true);
  assert.equal(cellCheckMode(tagged(['nbval-check-output']), true).compareOutputs, true);
});

test('as in nbval, a comment wins over a tag, and the last comment wins', () => {
  assert.equal(cellCheckMode(tagged(['nbval-check-output'], '# NBVAL_IGNORE_OUTPUT\nx')).compareOutputs, false);
  assert.equal(cellCheckMode(tagged(['nbval-ignore-output'], '# NBVAL_CHECK_OUTPUT\nx')).compareOutputs, true);
  assert.equal(cellCheckMode(code('# NBVAL_CHECK_OUTPUT\n# NBVAL_IGNORE_OUTPUT\nx'), true).compareOutputs, false);
  assert.deepEqual(cellCheckMode(tagged(['nbval-check-output'], '# NBVAL_IGNORE_OUTPUT\nx')).markers, ['nbval-check-output', 'NBVAL_IGNORE_OUTPUT']);
});

test('markdown and raw cells are neither executed nor compared, even with a skip-looking source', () => {
  const m = cellCheckMode({ cell_type: 'markdown', source: '# NBVAL_CHECK_OUTPUT', metadata: {} }, true);
  assert.deepEqual(m, { execute: false, compareOutputs: false, raisesException: false, markers: [] });
});

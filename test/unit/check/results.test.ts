import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareResults, goldenResultsFile } from '../../../src/check/index.js';

const exact = { rtol: 0, atol: 0 };

test('equal results pass; a changed number fails with the difference and what was allowed', () => {
  assert.deepEqual(compareResults({ acc: 0.91, name: 'x' }, { name: 'x', acc: 0.91 }, exact), []);
  assert.deepEqual(compareResults({ acc: 0.91 }, { acc: 0.87 }, exact), ['acc: expected 0.91, got 0.87 (difference 0.040000000000000036, allowed 0)']);
});

test('rtol and atol follow numpy.isclose: |got - expected| <= atol + rtol * |expected|', () => {
  assert.deepEqual(compareResults({ x: 100 }, { x: 100.5 }, { rtol: 0.01, atol: 0 }), []);
  assert.equal(compareResults({ x: 100 }, { x: 101.5 }, { rtol: 0.01, atol: 0 }).length, 1);
  assert.deepEqual(compareResults({ x: 0 }, { x: 1e-9 }, { rtol: 0.5, atol: 1e-8 }), []);
  assert.equal(compareResults({ x: 0 }, { x: 1e-9 }, { rtol: 0.5, atol: 0 }).length, 1, 'rtol alone allows nothing around 0');
});

test('numbers inside lists and mappings get the tolerance; other values must be equal', () => {
  const t = { rtol: 0, atol: 1e-6 };
  assert.deepEqual(compareResults({ curve: [1, 0.5], m: { a: 1 } }, { curve: [1, 0.5000001], m: { a: 1.0000001 } }, t), []);
  assert.equal(compareResults({ curve: [1, 0.5] }, { curve: [1, 0.5, 0.2] }, t).length, 1);
  assert.equal(compareResults({ s: 'a' }, { s: 'b' }, t).length, 1);
  assert.equal(compareResults({ v: null }, { v: 0 }, t).length, 1);
  assert.deepEqual(compareResults({ v: 'NaN' }, { v: 'NaN' }, t), []);
});

test('a result gone missing or new is a difference, in Python spelling', () => {
  assert.deepEqual(compareResults({ a: true, b: 1 }, { b: 1, c: null }, exact), ['a: expected True, not recorded', 'c: recorded None, not in the golden']);
});

test('the golden results file has sorted keys, so re-recording is byte-stable', () => {
  assert.equal(goldenResultsFile({ b: 1, a: [1, 2] }), '{\n "results": {\n  "a": [\n   1,\n   2\n  ],\n  "b": 1\n }\n}\n');
});

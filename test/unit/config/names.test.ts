import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONValue } from '../../../src/notebook/types.js';
import { flattenParams, formatParamValue, runNames, shortKeys, varyingParamKeys } from '../../../src/config/index.js';

test('flattenParams joins nested keys with dots and keeps arrays whole', () => {
  assert.deepEqual(flattenParams({ a: 1, m: { d: 2, e: { f: [1, 2] } }, empty: {} }), {
    a: 1,
    'm.d': 2,
    'm.e.f': [1, 2],
    empty: {},
  });
  assert.deepEqual(flattenParams(null), {});
  assert.deepEqual(flattenParams([1, 2]), {});
});

test('varying keys in order of first appearance; a missing key counts as varying; _keys never', () => {
  const rows: Array<Record<string, JSONValue>> = [{ a: 1, b: 1, _n: 'x' }, { a: 1, b: 2, _n: 'y' }, { a: 1, b: 2, c: true, _n: 'z' }];
  const configs = rows.map((p) => ({ params: p }));
  assert.deepEqual(varyingParamKeys(configs), ['b', 'c']);
});

test('shortKeys uses the shortest unique dotted suffix', () => {
  const m = shortKeys(['model.lr', 'optim.lr', 'optim.momentum', 'seed']);
  assert.deepEqual([...m.values()], ['model.lr', 'optim.lr', 'momentum', 'seed']);
});

test('values are short and plain', () => {
  assert.equal(formatParamValue(0.0001), '0.0001');
  assert.equal(formatParamValue(1e-7), '1e-7');
  assert.equal(formatParamValue('  two\nwords '), 'two words');
  assert.equal(formatParamValue([1, 2]), '[1, 2]');
  assert.equal(formatParamValue(null), 'None');
  assert.equal(formatParamValue('x'.repeat(40)), `${'x'.repeat(23)}…`);
});

test('runNames: varying params, _name hints, config_<idx> when nothing varies, #idx on collisions', () => {
  assert.deepEqual(
    runNames([
      { index: 0, params: { lr: 0.1, seed: 1, epochs: 3 } },
      { index: 1, params: { lr: 0.1, seed: 2, epochs: 3 } },
      { index: 2, params: { lr: 0.2, seed: 1, epochs: 3 }, nameHint: 'special' },
    ]),
    ['lr=0.1,seed=1', 'lr=0.1,seed=2', 'special'],
  );
  assert.deepEqual(runNames([{ index: 5, params: { a: 1 } }]), ['config_5']);
  assert.deepEqual(
    runNames([
      { index: 0, params: { s: 'a'.repeat(30) + '1' } },
      { index: 1, params: { s: 'a'.repeat(30) + '2' } },
    ]),
    [`s=${'a'.repeat(23)}…#0`, `s=${'a'.repeat(23)}…#1`],
  );
});

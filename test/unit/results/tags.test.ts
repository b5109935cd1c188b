import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { configFingerprintPart } from '../../../src/config/index.js';
import { configDescription, configTags, shownParams } from '../../../src/results/rows.js';
import { flattenParams } from '../../../src/config/names.js';

const planned = (json: Record<string, unknown>) => ({ index: 0, name: 'x', json: json as never, repr: stringify(json).trimEnd(), params: flattenParams(json as never) });

test('_tags and _description are shown apart from the parameters', () => {
  const c = planned({ lr: 0.1, _tags: ['baseline', 'v2'], _description: 'first try' });
  assert.deepEqual(configTags(c), ['baseline', 'v2']);
  assert.equal(configDescription(c), 'first try');
  assert.deepEqual(shownParams(c), { lr: 0.1 });
});

test('editing _tags or _description of a sweep-file config leaves its fingerprint part unchanged; a parameter does not', () => {
  const a = configFingerprintPart(planned({ lr: 0.1, _tags: ['a'] }));
  assert.equal(configFingerprintPart(planned({ lr: 0.1, _tags: ['b'], _description: 'new' })), a);
  assert.equal(configFingerprintPart(planned({ lr: 0.1 })), a);
  assert.notEqual(configFingerprintPart(planned({ lr: 0.2, _tags: ['a'] })), a);
});

test('a Python builder repr (not derived from the JSON form) still counts whole', () => {
  const json = { lr: 0.1, _tags: ['a'] };
  const a = configFingerprintPart({ json, repr: "{'_tags': ['a'], 'lr': 0.1}" });
  const b = configFingerprintPart({ json: { lr: 0.1, _tags: ['b'] }, repr: "{'_tags': ['b'], 'lr': 0.1}" });
  assert.notEqual(a, b);
});

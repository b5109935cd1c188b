// papermill's rules for parameter flags, checked against what papermill's cli.py does
// (_resolve_type for -p; PyYAML's SafeLoader without timestamps for -f/-y).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { noBuilderPlan, papermillValue, planFromSweepText, readParameters, withParameters } from '../../../src/config/index.js';
import { LosslessNumber, stringifyExact } from '../../../src/notebook/index.js';

describe('papermillValue (-p)', () => {
  it('is True/False/None, else int(), else float(), else the text', () => {
    assert.equal(papermillValue('True'), true);
    assert.equal(papermillValue('False'), false);
    assert.equal(papermillValue('None'), null);
    assert.equal(papermillValue('true'), 'true');
    assert.equal(papermillValue('007'), 7);
    assert.equal(papermillValue(' -12 '), -12);
    assert.equal(papermillValue('1_000'), 1000);
    assert.equal(papermillValue('0.25'), 0.25);
    assert.equal(papermillValue('.5'), 0.5);
    assert.deepEqual(papermillValue('1.0'), new LosslessNumber('1.0'));
    assert.deepEqual(papermillValue('1e3'), new LosslessNumber('1000.0'));
    assert.deepEqual(papermillValue('12345678901234567890'), new LosslessNumber('12345678901234567890'));
    for (const text of ['[1, 2]', '1__0', '0x10', '1.2.3', 'two words', '', '1_']) assert.equal(papermillValue(text), text);
  });
});

describe('readParameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-params-unit-'));

  it("merges in papermill's order: -f, then -y, then -p, then -r", () => {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'a: file\nb: file\nc: file\nd: file\n');
    const p = readParameters({ files: [file], yaml: ['{b: yaml, c: yaml, d: yaml}'], values: ['c', 'p', 'd', 'p'], raw: ['d', 'r'] });
    assert.deepEqual(p, { a: 'file', b: 'yaml', c: 'p', d: 'r' });
    assert.equal(readParameters({}), undefined);
  });

  it('reads YAML as PyYAML 1.1 does: yes/on are booleans, y/n, dates and 1e3 are text, numbers exact', () => {
    const p = readParameters({ yaml: ['{a: yes, b: on, c: n, d: 2024-01-02, e: 1e3, f: 1.0e+3, g: 0x1f, h: ~}'] })!;
    assert.equal(stringifyExact(p), '{"a":true,"b":true,"c":"n","d":"2024-01-02","e":"1e3","f":1000.0,"g":31,"h":null}');
  });

  it('refuses, in one line, what JSON cannot hold or a file that is not a mapping', () => {
    assert.throws(() => readParameters({ values: ['x', 'inf'] }), /^ConfigBuilderError: -p x inf: Infinity is not a value JSON can hold$/);
    assert.throws(() => readParameters({ yaml: ['[1, 2]'] }), /must hold a mapping of parameter names to values/);
    assert.throws(() => readParameters({ files: [join(dir, 'missing.yaml')] }), /parameters file .*missing\.yaml does not exist/);
  });
});

describe('withParameters', () => {
  it('makes the one config of a plan without a builder, and overrides every config of a sweep', () => {
    const one = withParameters(noBuilderPlan(), { lr: 0.1 });
    assert.deepEqual(one.configs.map((c) => [c.json, c.name]), [[{ lr: 0.1 }, 'config_0']]);
    const sweep = withParameters(planFromSweepText('grid: {lr: [0.1, 0.2]}\nfixed: {epochs: 10}\n', { builder: 's.yaml' }), { epochs: 1 });
    assert.deepEqual(sweep.configs.map((c) => [c.json, c.name]), [[{ epochs: 1, lr: 0.1 }, 'lr=0.1'], [{ epochs: 1, lr: 0.2 }, 'lr=0.2']]);
    assert.deepEqual(sweep.parameters, { epochs: 1 });
    const grid = planFromSweepText('grid: {lr: [0.1, 0.2], seed: [1, 2]}\n', { builder: 's.yaml' });
    assert.throws(() => withParameters(grid, { seed: 7 }), /^ConfigBuilderError: configs 0 and 1 are the same once the -p\/-r\/-f\/-y values are applied \(they set seed\)$/);
  });
});

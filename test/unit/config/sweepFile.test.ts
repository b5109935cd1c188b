import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigBuilderError, planFromSweepFile, planFromSweepText } from '../../../src/config/index.js';
import { stringifyExact } from '../../../src/notebook/index.js';

const SWEEPS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'config', 'sweeps');

async function sweepError(file: string, title?: string): Promise<ConfigBuilderError> {
  try {
    await planFromSweepFile(join(SWEEPS, file), { title });
  } catch (err) {
    assert.ok(err instanceof ConfigBuilderError, String(err));
    assert.equal(err.kind, 'sweep-file');
    assert.ok(!err.message.includes('\n'), 'one line');
    return err;
  }
  assert.fail(`${file} should be rejected`);
}

test('a grid is the cartesian product, last key fastest, with fixed values in every config', async () => {
  const plan = await planFromSweepFile(join(SWEEPS, 'grid.yaml'));
  assert.equal(plan.kind, 'sweep-file');
  assert.deepEqual(
    plan.configs.map((c) => [c.index, c.json]),
    [
      [0, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.1, seed: 1 }],
      [1, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.1, seed: 2 }],
      [2, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.1, seed: 3 }],
      [3, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.01, seed: 1 }],
      [4, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.01, seed: 2 }],
      [5, { epochs: 10, model: { depth: 2, act: 'relu' }, lr: 0.01, seed: 3 }],
    ],
  );
  assert.deepEqual(
    plan.configs.map((c) => c.name),
    ['lr=0.1,seed=1', 'lr=0.1,seed=2', 'lr=0.1,seed=3', 'lr=0.01,seed=1', 'lr=0.01,seed=2', 'lr=0.01,seed=3'],
  );
  assert.deepEqual(plan.configs[0]!.params, { epochs: 10, 'model.depth': 2, 'model.act': 'relu', lr: 0.1, seed: 1 });
  assert.equal(plan.configs[0]!.repr, 'epochs: 10\nmodel:\n  depth: 2\n  act: relu\nlr: 0.1\nseed: 1');
});

test('groups concatenate in file order; --title keeps the file-wide indices', async () => {
  const all = await planFromSweepFile(join(SWEEPS, 'groups.yaml'));
  assert.deepEqual(
    all.configs.map((c) => [c.index, c.title ?? null, c.name]),
    [
      [0, 'small', 'size=small,lr=0.1'],
      [1, 'small', 'size=small,lr=0.01'],
      [2, 'large', 'size=large,lr=0.1,layers=[64, 64]'],
      [3, 'large', 'big-slow'],
      [4, null, 'size=tiny,lr=0.5'],
    ],
  );
  const large = await planFromSweepFile(join(SWEEPS, 'groups.yaml'), { title: 'large' });
  assert.equal(large.title, 'large');
  assert.deepEqual(
    large.configs.map((c) => [c.index, c.json]),
    [
      [2, { size: 'large', lr: 0.1, layers: [64, 64] }],
      [3, { size: 'large', lr: 0.001, layers: [128], _name: 'big-slow' }],
    ],
  );
  // Names only show what varies among the selected configs.
  assert.equal(large.configs[0]!.name, 'lr=0.1,layers=[64, 64]');
  const two = await planFromSweepFile(join(SWEEPS, 'groups.yaml'), { title: ['small', 'large'] });
  assert.deepEqual(two.configs.map((c) => c.index), [0, 1, 2, 3]);
});

test('an unknown --title lists the titles there are', async () => {
  const err = await sweepError('groups.yaml', 'medium');
  assert.match(err.message, /has no group with _title "medium" \(titles: small, large\)/);
  assert.match((await sweepError('grid.yaml', 'x')).message, /\(no group has a _title\)/);
});

test('a JSON sweep file with an explicit list; configs override fixed values', async () => {
  const plan = await planFromSweepFile(join(SWEEPS, 'list.json'));
  assert.deepEqual(
    plan.configs.map((c) => c.json),
    [
      { epochs: 3, optimizer: { name: 'sgd', lr: 0.1 } },
      { epochs: 3, optimizer: { name: 'adam', lr: 0.001 } },
      { epochs: 5, optimizer: { name: 'adam', lr: 0.0001 } },
    ],
  );
  assert.deepEqual(
    plan.configs.map((c) => c.name),
    ['epochs=3,name=sgd,lr=0.1', 'epochs=3,name=adam,lr=0.001', 'epochs=5,name=adam,lr=0.0001'],
  );
});

test('explicit configs cross with the grid', async () => {
  const plan = await planFromSweepFile(join(SWEEPS, 'crossed.yaml'));
  assert.deepEqual(
    plan.configs.map((c) => c.name),
    ['model=a,width=16,seed=0', 'model=a,width=16,seed=1', 'model=b,width=32,seed=0', 'model=b,width=32,seed=1'],
  );
});

test('malformed sweep files give one clear line each', async () => {
  assert.match((await sweepError('duplicates.yaml')).message, /has duplicate configs at indices \[0, 3\]; every config must differ/);
  assert.match((await sweepError('bad-grid.yaml')).message, /grid\.lr must be a non-empty list of values, got number 0\.1 \(a single value goes under fixed:\)/);
  assert.match((await sweepError('unknown-key.yaml')).message, /unknown key "lr"; a group holds grid:/);
  const broken = await sweepError('broken.yaml');
  assert.match(broken.message, /is not valid YAML: .* at line \d+, column \d+/);
  assert.match(broken.detail!, /\^/);
  assert.match((await sweepError('nonfinite.yaml')).message, /lr\[1\] is Infinity, which JSON cannot hold/);
  assert.match((await sweepError('no-such-file.yaml')).message, /no-such-file\.yaml does not exist$/);
});

test('more structural checks', () => {
  const err = (text: string, format: 'yaml' | 'json' = 'yaml') => {
    try {
      planFromSweepText(text, { builder: 's.yaml', format });
    } catch (e) {
      assert.ok(e instanceof ConfigBuilderError);
      return e.message;
    }
    assert.fail('should be rejected');
  };
  assert.match(err(''), /s\.yaml defines no configs \(it is empty\)/);
  assert.match(err('_title: a\n'), /defines no configs: give it grid:, fixed: or configs:/);
  assert.match(err('grid: {lr: [1]}\nfixed: {lr: 2}\n'), /key lr is both in grid: and in fixed:/);
  assert.match(err('configs: [1, 2]\n'), /configs: must be a non-empty list of mappings/);
  assert.match(err('- 3\n'), /group 1 is number 3; each group is a mapping/);
  assert.match(err('{"grid": ', 'json'), /is not valid JSON/);
  const eleven = `[${Array.from({ length: 11 }, (_, i) => i).join(',')}]`;
  assert.match(err(`grid: {a: ${eleven}, b: ${eleven}, c: ${eleven}, d: ${eleven}, e: ${eleven}}\n`), /expands to 161051 configs, more than 100000$/);
});

test('a top-level list holds groups, and YAML 1.2 reads 1e-3 as a number and yes as a string', () => {
  const plan = planFromSweepText('- {fixed: {lr: 1e-3, flag: yes}}\n- {_title: b, grid: {lr: [2]}}\n', { builder: 's.yaml' });
  assert.deepEqual(
    plan.configs.map((c) => c.json),
    [{ lr: 0.001, flag: 'yes' }, { lr: 2 }],
  );
  assert.deepEqual(plan.configs.map((c) => c.name), ['lr=0.001,flag=yes', 'lr=2']);
});

test('integral floats in exponent form (1e16) stay floats in the repr, the JSON form and the run name', async () => {
  const plan = planFromSweepText('fixed: {big: 1e16, bigger: 1.5E+16, neg: -1e16, whole: 2.0, small: 2.5e-7}\ngrid: {x: [1e16, 2.0]}\n', { builder: 'x.yaml' });
  const c = plan.configs[0]!;
  // Python's float repr: what a YAML 1.2 reader and json.loads take back as floats.
  assert.equal(c.repr, 'big: 1e+16\nbigger: 1.5e+16\nneg: -1e+16\nwhole: 2.0\nsmall: 2.5e-7\nx: 1e+16');
  assert.ok(c.exact, 'the exact JSON form is kept');
  assert.match(stringifyExact(c.exact), /^\{"big":1e\+16,"bigger":1\.5e\+16,"neg":-1e\+16,"whole":2\.0,"small":2\.5e-7,"x":1e\+16\}$/);
  assert.deepEqual(plan.configs.map((p) => p.name), ['x=1e+16', 'x=2.0']);
});

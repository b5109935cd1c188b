import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { groupRows, stat } from '../../../src/results/query/aggregate.js';
import { formatResult } from '../../../src/results/query/format.js';
import { queryResults, sortRows } from '../../../src/results/query/query.js';
import { parseWhere, type Row } from '../../../src/results/query/where.js';
import { row } from './helpers.js';

const cols = ['lr', 'status', 'acc', 'name', 'tags', 'opt', 'flag'];
const rows: Row[] = [
  { lr: 0.1, status: 'success', acc: 0.9, name: 'a', tags: ['x', 'y'], opt: null, flag: true },
  { lr: 0.01, status: 'success', acc: 0.95, name: 'b', tags: [], opt: 'adam', flag: false },
  { lr: 0.01, status: 'failed', name: 'c', tags: ['y'] },
];
const match = (expr: string) => rows.filter(parseWhere(expr, cols)).map((r) => r.name);

describe('--where expressions', () => {
  test('comparisons on numbers and text, and/or/not, parentheses', () => {
    assert.deepEqual(match('lr<0.1 and status=success'), ['b']);
    assert.deepEqual(match('lr <= 0.1'), ['a', 'b', 'c']);
    assert.deepEqual(match('status=failed or acc>0.92'), ['b', 'c']);
    assert.deepEqual(match('not (status = success)'), ['c']);
    assert.deepEqual(match('lr==0.01 and not acc>=0.95'), ['c']);
    assert.deepEqual(match('status != success'), ['c']);
    assert.deepEqual(match("name = 'a' OR name=\"c\""), ['a', 'c']);
    assert.deepEqual(match('name ~ A'), ['a']);
  });
  test('a missing value matches only !=; None/True/False as in Python; tags by membership', () => {
    assert.deepEqual(match('acc>0'), ['a', 'b']);
    assert.deepEqual(match('acc!=0.9'), ['b', 'c']);
    assert.deepEqual(match('opt=None'), ['a']);
    assert.deepEqual(match('flag=True'), ['a']);
    assert.deepEqual(match('flag=False'), ['b']);
    assert.deepEqual(match('tags=y'), ['a', 'c']);
    assert.deepEqual(match('tags!=x'), ['b', 'c']);
    assert.deepEqual(match('opt<1'), [], '< compares numbers only');
  });
  test('errors name the problem, in one line', () => {
    assert.throws(() => parseWhere('foo>1', cols), /unknown column "foo"; columns: lr, status/);
    assert.throws(() => parseWhere('lr<', cols), /expected a value after "lr<" at the end/);
    assert.throws(() => parseWhere('lr 1', cols), /expected an operator/);
    assert.throws(() => parseWhere('lr<1 acc>2', cols), /expected "and", "or" or the end at "acc"/);
    assert.throws(() => parseWhere('(lr<1', cols), /expected "\)"/);
    assert.throws(() => parseWhere("name='x", cols), /unterminated string/);
  });
});

describe('aggregation', () => {
  test('mean, sample std (n-1) and n; a single value has no std', () => {
    assert.deepEqual(stat([1, 2, 3]), { mean: 2, std: 1, n: 3 });
    assert.deepEqual(stat([5]), { mean: 5, std: null, n: 1 });
    assert.equal(stat([]), undefined);
  });
  test('groups over one parameter, keyed by the others, in order of first appearance; non-numbers ignored', () => {
    const rs: Row[] = [
      { lr: 0.1, seed: 1, acc: 0.8, status: 'success' },
      { lr: 0.2, seed: 1, acc: 0.5, status: 'success' },
      { lr: 0.1, seed: 2, acc: 0.9, status: 'success' },
      { lr: 0.2, seed: 2, status: 'failed' },
      { lr: 0.1, seed: 3, acc: 'n/a', status: 'success' },
    ];
    const g = groupRows(rs, 'seed', ['lr', 'seed'], ['acc']);
    assert.deepEqual(g.map((x) => [x.key, x.runs, x.succeeded, x.over]), [
      [{ lr: 0.1 }, 3, 3, [1, 2, 3]],
      [{ lr: 0.2 }, 2, 1, [1, 2]],
    ]);
    assert.equal(g[0]!.stats.acc!.n, 2);
    assert.ok(Math.abs(g[0]!.stats.acc!.mean - 0.85) < 1e-12);
    assert.ok(Math.abs(g[0]!.stats.acc!.std! - Math.SQRT1_2 * 0.1) < 1e-12);
    assert.deepEqual(g[1]!.stats.acc, { mean: 0.5, std: null, n: 1 });
  });
});

describe('sorting', () => {
  test('by several keys, descending with -, missing values last either way, stable', () => {
    const rs = [{ k: 'a', v: 2 }, { k: 'b' }, { k: 'c', v: 10 }, { k: 'd', v: 2 }] as Row[];
    assert.deepEqual(sortRows(rs, ['v']).map((r) => r.k), ['a', 'd', 'c', 'b']);
    assert.deepEqual(sortRows(rs, ['-v']).map((r) => r.k), ['c', 'a', 'd', 'b']);
    assert.deepEqual(sortRows(rs, ['v', '-k']).map((r) => r.k), ['d', 'a', 'c', 'b']);
  });
});

describe('queryResults over summary.json files', () => {
  const dir = join(tmpdir(), `rn-query-${process.pid}`);
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  writeFileSync(join(a, 'summary.json'), JSON.stringify({ runs: [row(0, { lr: 0.1, seed: 1 }, { acc: 0.8 }), row(1, { lr: 0.1, seed: 2 }, { acc: 0.9 }), row(2, { lr: 0.2, seed: 1 }, {}, { status: 'failed', error: 'boom' })] }));
  writeFileSync(join(b, 'summary.json'), JSON.stringify({ runs: [row(0, { lr: 0.1, seed: 1, name: 'x' }, { acc: 0.7 })] }));

  test('several DIRs get a sweep column; a clashing parameter keeps the documented name', () => {
    const r = queryResults({ dirs: [a, b], columns: ['sweep', 'index', 'param.name', 'acc'] });
    assert.deepEqual(r.rows.map((x) => [x.sweep, x.index, x['param.name'], x.acc]), [
      [a, 0, undefined, 0.8],
      [a, 1, undefined, 0.9],
      [a, 2, undefined, undefined],
      [b, 0, 'x', 0.7],
    ]);
  });
  test('default columns: the varying parameters, results, and error when there is one', () => {
    assert.deepEqual(queryResults({ dirs: [a] }).columns, ['index', 'status', 'exec_sec', 'lr', 'seed', 'acc', 'error']);
  });
  test('--group_by in table, csv, markdown and json', () => {
    const r = queryResults({ dirs: [a], groupBy: 'seed', sort: ['lr'] });
    assert.deepEqual(r.columns, ['lr', 'n', 'succeeded', 'acc', 'exec_sec']);
    const t = formatResult(r, 'table').split('\n');
    assert.match(t[2]!, /^0\.1\s+2\s+2\s+0\.85 ± 0\.0707107\s+1\.25 ± 0$/);
    assert.match(t[3]!, /^0\.2\s+1\s+0\s+1\.25$/);
    assert.equal(formatResult(r, 'csv').split('\n')[0], 'lr,n,succeeded,acc.mean,acc.std,acc.n,exec_sec.mean,exec_sec.std,exec_sec.n');
    assert.match(formatResult(r, 'markdown'), /^\| lr \| n \| succeeded \| acc \| exec_sec \|\n\|---:\|---:\|---:\|---:\|---:\|\n\| 0\.1 \| 2 \| 2 \| 0\.85 ± 0\.0707107 \|/);
    const j = JSON.parse(formatResult(r, 'json')) as { acc: { mean: number; n: number } | null }[];
    assert.equal(j[0]!.acc!.n, 2);
    assert.equal(j[1]!.acc, null);
  });
  test('bad input: one line naming what is wrong', () => {
    assert.throws(() => queryResults({ dirs: [join(dir, 'nope')] }), /no summary\.json in .*nope: not a run-notebook --dst_dir/);
    assert.throws(() => queryResults({ dirs: [a], groupBy: 'acc' }), /"acc" is not a parameter; parameters: lr, seed/);
    assert.throws(() => queryResults({ dirs: [a], sort: ['-zzz'] }), /--sort: unknown column "zzz"/);
  });
});

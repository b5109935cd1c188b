import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import initSqlJs from 'sql.js';
import { summaryColumns } from '../../../src/results/columns.js';
import { toCsv } from '../../../src/results/csv.js';
import { buildSqlite } from '../../../src/results/sqlite.js';
import type { AttemptRow } from '../../../src/results/types.js';
import { row } from './helpers.js';

describe('summary column naming', () => {
  test('a parameter named like a run column becomes param.<name>; a result named like a parameter becomes result.<name>', () => {
    const cols = summaryColumns([row(0, { name: 'a', status: 'b', lr: 0.1 }, { lr: 2, acc: 0.9, error: 1 })]);
    const names = cols.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, 'headers are unique');
    assert.deepEqual(
      cols.filter((c) => c.kind !== 'run').map((c) => [c.kind, c.key, c.name]),
      [
        ['param', 'name', 'param.name'],
        ['param', 'status', 'param.status'],
        ['param', 'lr', 'lr'],
        ['result', 'lr', 'result.lr'],
        ['result', 'acc', 'acc'],
        ['result', 'error', 'result.error'],
      ],
    );
    assert.equal(names[0], 'index');
    assert.equal(names.at(-1), 'error');
  });

  test('a qualified name that is itself taken gets #2', () => {
    const cols = summaryColumns([row(0, { x: 1, 'result.x': 2 }, { x: 3 })]);
    assert.deepEqual(cols.filter((c) => c.kind === 'result').map((c) => c.name), ['result.x#2']);
  });

  test('keys in order of first appearance over all rows', () => {
    const cols = summaryColumns([row(0, { a: 1 }, {}), row(1, { b: 1, a: 2 }, { m: 1 })]);
    assert.deepEqual(cols.filter((c) => c.kind !== 'run').map((c) => c.name), ['a', 'b', 'm']);
  });
});

describe('summary.csv', () => {
  test('unique headers, None/True/False spelled as in Python, missing values empty', () => {
    const csv = toCsv([row(0, { name: 'n', opt: null, flag: true }, { opt: [1, null], acc: 0.5 }), row(1, { name: 'm', opt: 'x', flag: false }, {}, { status: 'failed', error: 'E: "quoted", comma' })]).trim().split('\n');
    const header = csv[0]!.split(',');
    assert.equal(new Set(header).size, header.length);
    assert.deepEqual(header.slice(-6), ['param.name', 'opt', 'flag', 'result.opt', 'acc', 'error']);
    assert.match(csv[1]!, /,n,None,True,"\[1, None\]",0\.5,$/);
    assert.match(csv[2]!, /,m,x,False,,,"E: ""quoted"", comma"$/);
  });
});

describe('summary.sqlite', () => {
  test('runs, attempts, columns and sweep tables read back with the values and naming of the CSV', async () => {
    const rows = [row(0, { lr: 0.1, name: 'p', layers: [64, 64], on: true }, { acc: 0.9, lr: 7 }), row(1, { lr: 0.01, name: 'q', layers: [8], on: false }, {}, { status: 'failed', exec_sec: null, error: 'boom', tags: ['a', 'b'] })];
    const attempts: AttemptRow[] = [
      { run_index: 0, attempt: 1, status: 'ok', started_at: 't0', ended_at: 't1', start_sec: 0.5, exec_sec: 1, total_sec: 1.6, server: 's', host: 'h', headline: null, cell_index: null },
      { run_index: 1, attempt: 1, status: 'error', started_at: 't0', ended_at: 't1', start_sec: 0.4, exec_sec: 0.2, total_sec: 0.7, server: 's', host: 'h', headline: 'boom (cell 2)', cell_index: 1 },
    ];
    const bytes = await buildSqlite(rows, attempts, { title: 'T', notebook: '/nb.ipynb', startedAt: 's', endedAt: null });
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    const q = (sql: string) => db.exec(sql)[0]!;
    const runs = q('SELECT "index", name, status, lr, "param.name", layers, "on", acc, "result.lr", exec_sec, tags, error FROM runs ORDER BY "index"');
    assert.deepEqual(runs.values, [
      [0, 'run0', 'success', 0.1, 'p', '[64,64]', 1, 0.9, 7, 1.25, null, null],
      [1, 'run1', 'failed', 0.01, 'q', '[8]', 0, null, null, null, '["a","b"]', 'boom'],
    ]);
    assert.deepEqual(q('SELECT run_index, status, headline, cell_index FROM attempts ORDER BY run_index').values, [
      [0, 'ok', null, null],
      [1, 'error', 'boom (cell 2)', 1],
    ]);
    assert.deepEqual(q("SELECT name, kind, key FROM columns WHERE kind != 'run' ORDER BY rowid").values, [
      ['lr', 'param', 'lr'],
      ['param.name', 'param', 'name'],
      ['layers', 'param', 'layers'],
      ['on', 'param', 'on'],
      ['acc', 'result', 'acc'],
      ['result.lr', 'result', 'lr'],
    ]);
    const types = Object.fromEntries(q('PRAGMA table_info(runs)').values.map((r) => [r[1], r[2]]));
    assert.equal(types.lr, 'REAL');
    assert.equal(types.index, 'INTEGER');
    assert.equal(types.name, 'TEXT');
    assert.deepEqual(q('SELECT title, ended_at FROM sweep').values, [['T', null]]);
    db.close();
  });
});

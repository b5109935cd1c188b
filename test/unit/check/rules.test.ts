// One fixture triple per comparison rule (fixtures/check/rules/<rule>/): expected.ipynb,
// pass.ipynb that must pass, fail.ipynb that must fail. Both directions are asserted, with the
// exact per-cell statuses, and where an option decides the outcome, with and without it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareNotebooks, loadSanitizers, type CellResult, type CompareOptions } from '../../../src/check/index.js';
import { FIXTURES, ruleFixture } from './helpers.js';

const statuses = (r: CellResult[]) => r.map((c) => c.status);

interface Rule {
  rule: string;
  opts?: CompareOptions;
  pass: CellResult['status'][];
  fail: CellResult['status'][];
  /** Substrings the failing cell's diff must contain (expected side first, then got). */
  diff?: string[];
  message?: RegExp;
}

const rules: Rule[] = [
  { rule: 'execution-count', pass: ['passed'], fail: ['failed'], diff: ['-2', '+3'] },
  { rule: 'metadata', pass: ['passed'], fail: ['failed'], diff: ['-<Figure>', '+<Figure 2>'] },
  { rule: 'transient', pass: ['passed'], fail: ['failed'], diff: ['-x = 1', '+x = 2'] },
  { rule: 'stream-merge', pass: ['passed'], fail: ['failed'], diff: ['--- expected stdout', '-c', '+C'], message: /outputs differ: stdout$/ },
  { rule: 'stream-name', pass: ['passed'], fail: ['failed'], message: /stderr, stdout|stdout, stderr/ },
  { rule: 'carriage-return', pass: ['passed'], fail: ['failed'], diff: ['-100%', '+50%'] },
  { rule: 'text-plain', pass: ['passed'], fail: ['failed'], diff: ['--- expected text/plain', '-array([1, 2, 3])', '+array([1, 2, 4])'] },
  { rule: 'text-html', pass: ['passed'], fail: ['failed'], diff: ['--- expected text/html', '<td>1</td>', '<td>2</td>'], message: /: text\/html$/ },
  { rule: 'text-latex', pass: ['passed'], fail: ['failed'], diff: ['--- expected text/latex', 'x^{2}', 'x^{3}'] },
  { rule: 'text-markdown', pass: ['passed'], fail: ['failed'], diff: ['-**accuracy**: 0.91', '+**accuracy**: 0.87'] },
  { rule: 'json', pass: ['passed'], fail: ['failed'], diff: ['--- expected application/json', '-    2', '+    3'] },
  { rule: 'json-vendor', pass: ['passed'], fail: ['failed'], diff: ['application/vnd.example.v1+json'] },
  { rule: 'mime-set', pass: ['passed'], fail: ['failed'], diff: ['(got no text/html output)', '-<b>W</b>'] },
  { rule: 'images', opts: { compareImages: true }, pass: ['passed'], fail: ['failed'], diff: ['--- expected image/png', '-<image/png: ', '+<image/png: '] },
  { rule: 'error-fields', pass: ['passed'], fail: ['failed'], diff: ['-ZeroDivisionError: division by zero', '+ZeroDivisionError: integer division or modulo by zero'] },
  { rule: 'unexpected-error', pass: ['passed', 'passed'], fail: ['error', 'skipped'], message: /^NameError: name 'f' is not defined$/ },
  { rule: 'sanitize-memory-address', pass: ['passed'], fail: ['failed'], diff: ['-<__main__.Foo object at 0x<ADDRESS>>', '+<__main__.Bar object at 0x<ADDRESS>>'] },
  { rule: 'sanitize-timestamp', pass: ['passed'], fail: ['failed'], diff: ['-started <TIMESTAMP>, done <TIMESTAMP>', '+begun <TIMESTAMP>'] },
  { rule: 'sanitize-uuid', pass: ['passed'], fail: ['failed'], diff: ["-UUID('<UUID>')", "+UUID('<UUID>', 1)"] },
  { rule: 'sanitize-temp-path', pass: ['passed'], fail: ['failed'], diff: ['-saved to <TEMP_PATH>', '+saved in <TEMP_PATH>'] },
  { rule: 'marker-ignore-output-comment', pass: ['passed', 'passed'], fail: ['passed', 'failed'] },
  { rule: 'marker-ignore-output-tag', pass: ['passed', 'passed'], fail: ['passed', 'failed'] },
  { rule: 'marker-skip-comment', pass: ['skipped', 'passed'], fail: ['skipped', 'failed'] },
  { rule: 'marker-skip-tag', pass: ['skipped', 'passed'], fail: ['skipped', 'failed'] },
  { rule: 'marker-skip-execution-tag', pass: ['skipped', 'passed'], fail: ['skipped', 'failed'] },
  { rule: 'marker-raises-comment', pass: ['passed', 'passed'], fail: ['failed', 'passed'], diff: ['(got no error (ename: evalue) output)', '-ValueError: bad input'] },
  { rule: 'marker-raises-tag', pass: ['passed', 'passed'], fail: ['failed', 'passed'] },
  { rule: 'marker-raises-nbval-tag', pass: ['passed', 'passed'], fail: ['failed', 'passed'] },
  { rule: 'marker-check-output-comment', opts: { lax: true }, pass: ['passed', 'passed'], fail: ['failed', 'passed'], diff: ['-42', '+41'] },
  { rule: 'marker-check-output-tag', opts: { lax: true }, pass: ['passed', 'passed'], fail: ['failed', 'passed'] },
  { rule: 'match-by-id', pass: ['passed', 'passed', 'passed'], fail: ['passed', 'failed', 'passed', 'passed'], message: /no cell with this id in the expected notebook/ },
  { rule: 'match-by-position', pass: ['passed', 'passed', 'passed'], fail: ['passed', 'failed', 'failed', 'failed'] },
  { rule: 'unexecuted-reference', pass: ['passed', 'passed'], fail: ['passed', 'failed'] },
];

for (const r of rules) {
  test(`rule ${r.rule}: pass.ipynb passes, fail.ipynb fails`, () => {
    const { expected, pass, fail } = ruleFixture(r.rule);
    const passed = compareNotebooks(expected, pass, r.opts ?? {});
    assert.deepEqual(statuses(passed), r.pass, JSON.stringify(passed, null, 1));
    for (const c of passed) assert.equal(c.diff, undefined);

    const failed = compareNotebooks(expected, fail, r.opts ?? {});
    assert.deepEqual(statuses(failed), r.fail, JSON.stringify(failed, null, 1));
    const bad = failed.find((c) => c.status === 'failed' || c.status === 'error')!;
    assert.ok(bad, 'some cell must fail');
    assert.ok(bad.message, 'a failing cell carries a message');
    if (r.message) assert.match(bad.message, r.message);
    if (r.diff) {
      assert.ok(bad.diff, 'a failing cell with differing outputs carries a diff');
      let at = -1;
      for (const piece of r.diff) {
        const i = bad.diff.indexOf(piece);
        assert.ok(i >= 0, `diff lacks ${JSON.stringify(piece)}:\n${bad.diff}`);
        if (piece.startsWith('-') || piece.startsWith('+')) {
          assert.ok(i > at, `${JSON.stringify(piece)} out of order in:\n${bad.diff}`);
          at = i;
        }
      }
    }
  });
}

// Where an option decides the outcome, the other direction too.

test('images: without compareImages a different PNG passes; with it, fails', () => {
  const { expected, pass, fail } = ruleFixture('images');
  assert.deepEqual(statuses(compareNotebooks(expected, fail, {})), ['passed']);
  assert.deepEqual(statuses(compareNotebooks(expected, fail, { compareImages: true })), ['failed']);
  // re-wrapped base64 and image metadata do not matter
  assert.deepEqual(statuses(compareNotebooks(expected, pass, { compareImages: true })), ['passed']);
});

for (const rule of ['sanitize-memory-address', 'sanitize-timestamp', 'sanitize-uuid', 'sanitize-temp-path']) {
  test(`${rule}: pass.ipynb fails with noDefaultSanitizers`, () => {
    const { expected, pass } = ruleFixture(rule);
    assert.deepEqual(statuses(compareNotebooks(expected, pass, {})), ['passed']);
    const r = compareNotebooks(expected, pass, { noDefaultSanitizers: true });
    assert.deepEqual(statuses(r), ['failed']);
    assert.doesNotMatch(r[0]!.diff!, /<(UUID|TIMESTAMP|TEMP_PATH|ADDRESS)>/, 'nothing was sanitized');
  });
}

for (const file of ['elapsed.cfg', 'elapsed.yaml']) {
  test(`sanitize-file: ${file} makes pass.ipynb pass; fail.ipynb still fails`, () => {
    const { expected, pass, fail } = ruleFixture('sanitize-file');
    assert.deepEqual(statuses(compareNotebooks(expected, pass, {})), ['failed'], 'without the file it fails');
    const sanitizers = loadSanitizers(join(FIXTURES, 'sanitizers', file));
    assert.deepEqual(statuses(compareNotebooks(expected, pass, { sanitizers })), ['passed']);
    const r = compareNotebooks(expected, fail, { sanitizers });
    assert.deepEqual(statuses(r), ['failed']);
    assert.match(r[0]!.diff!, /-epoch 1 took N\.NN s\n\+epoch 1 took 4\.56 min/);
  });
}

for (const rule of ['marker-check-output-comment', 'marker-check-output-tag']) {
  test(`${rule}: without lax every cell is compared, so pass.ipynb fails`, () => {
    const { expected, pass } = ruleFixture(rule);
    assert.deepEqual(statuses(compareNotebooks(expected, pass, {})), ['passed', 'failed']);
    const lax = compareNotebooks(expected, pass, { lax: true });
    assert.match(lax[1]!.message!, /output not compared \(lax/);
  });
}

for (const rule of ['marker-ignore-output-comment', 'marker-ignore-output-tag']) {
  test(`${rule}: the marked cell is compared once the marker is gone`, () => {
    const { expected, pass } = ruleFixture(rule);
    const strip = (n: typeof expected) => {
      const c = n.cells[0]!;
      c.source = c.source.replace('# NBVAL_IGNORE_OUTPUT\n', '');
      c.metadata = {};
      return n;
    };
    assert.deepEqual(statuses(compareNotebooks(strip(expected), strip(pass), {})), ['failed', 'passed']);
  });
}

for (const rule of ['marker-raises-comment', 'marker-raises-tag']) {
  test(`${rule}: without the marker the same error is an error`, () => {
    const { expected, pass } = ruleFixture(rule);
    const c = pass.cells[0]!;
    c.source = c.source.replace('# NBVAL_RAISES_EXCEPTION\n', '');
    c.metadata = {};
    const r = compareNotebooks(expected, pass, {});
    assert.deepEqual(statuses(r), ['error', 'passed']);
    assert.equal(r[0]!.message, 'ValueError: bad input');
  });
}

test('error-fields: without raises-exception the expected error is still an error', () => {
  const { expected, pass } = ruleFixture('error-fields');
  pass.cells[0]!.metadata = {};
  assert.deepEqual(statuses(compareNotebooks(expected, pass, {})), ['error']);
  assert.deepEqual(statuses(compareNotebooks(expected, pass, { allowErrors: true })), ['passed']);
});

test('match-by-position: the same insertion matched by id fails only the new cell', () => {
  // the contrast that motivates id matching
  const byPos = compareNotebooks(ruleFixture('match-by-position').expected, ruleFixture('match-by-position').fail, {});
  const byId = compareNotebooks(ruleFixture('match-by-id').expected, ruleFixture('match-by-id').fail, {});
  assert.equal(byPos.filter((c) => c.status === 'failed').length, 3);
  assert.equal(byId.filter((c) => c.status === 'failed').length, 1);
  assert.equal(byId[1]!.firstLine, "print('new')");
  assert.equal(byId[1]!.cellIndex, 2);
});

test('unexecuted-reference: the never-run expected cell is not compared, and says so', () => {
  const { expected, pass } = ruleFixture('unexecuted-reference');
  const r = compareNotebooks(expected, pass, {});
  assert.match(r[0]!.message!, /expected cell was never executed/);
});

// Console report, summary, exit code, and JUnit XML parsed back with fast-xml-parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  checkExitCode,
  compareNotebooks,
  formatConsoleReport,
  summarizeResults,
  toJUnitXml,
  type NotebookCheckResult,
} from '../../../src/check/index.js';
import { ruleFixture } from './helpers.js';

function sample(): NotebookCheckResult[] {
  const ok = ruleFixture('text-plain');
  const err = ruleFixture('unexpected-error');
  const skip = ruleFixture('marker-skip-comment');
  return [
    { notebook: 'nb/plain.ipynb', cells: compareNotebooks(ok.expected, ok.pass, {}) },
    { notebook: 'nb/plain.ipynb', configIndex: 3, configName: 'lr=0.1 <&> "q"', cells: compareNotebooks(ok.expected, ok.fail, {}) },
    { notebook: 'nb/err.ipynb', configIndex: 0, cells: compareNotebooks(err.expected, err.fail, {}) },
    { notebook: 'nb/skip.ipynb', cells: compareNotebooks(skip.expected, skip.pass, {}) },
    { notebook: 'nb/dead.ipynb', configIndex: 7, configName: 'big', cells: [], error: 'kernel died while running cell 4' },
  ];
}

test('summary counts cells by status and notebooks by outcome; exit code 1 on any failure', () => {
  const results = sample();
  assert.deepEqual(summarizeResults(results), {
    cells: { passed: 2, failed: 1, error: 1, skipped: 2, total: 6 },
    notebooks: { passed: 2, failed: 3, total: 5 },
  });
  assert.equal(checkExitCode(results), 1);
  assert.equal(checkExitCode([results[0]!, results[3]!]), 0, 'passed and skipped cells only');
  assert.equal(checkExitCode([results[4]!]), 1, 'a notebook-level error');
  assert.equal(checkExitCode([]), 0);
});

test('console report: each failing cell with notebook, config, cell number, first line and diff; then the summary', () => {
  const text = formatConsoleReport(sample());
  assert.equal(
    text,
    [
      'FAIL nb/plain.ipynb · config 3 (lr=0.1 <&> "q") · cell 1: x',
      '  outputs differ: text/plain',
      '  --- expected text/plain',
      '  +++ got text/plain',
      '  @@ -1,1 +1,1 @@',
      '  -array([1, 2, 3])',
      '  +array([1, 2, 4])',
      '',
      'ERROR nb/err.ipynb · config 0 · cell 1: f()',
      "  NameError: name 'f' is not defined",
      '',
      'ERROR nb/dead.ipynb · config 7 (big): kernel died while running cell 4',
      '',
      'cells: 2 passed, 1 failed, 1 error, 2 skipped; notebooks: 2 passed, 3 failed',
      '',
    ].join('\n'),
  );
});

test('console report: all passing is just the summary; color and diff cut-off are options', () => {
  const results = sample();
  assert.equal(formatConsoleReport([results[0]!]), 'cells: 1 passed, 0 failed, 0 errors, 0 skipped; notebooks: 1 passed, 0 failed\n');
  const colored = formatConsoleReport([results[1]!], { color: true });
  assert.ok(colored.includes('\x1b[31m-array([1, 2, 3])\x1b[0m') && colored.includes('\x1b[32m+array([1, 2, 4])\x1b[0m'));
  const cut = formatConsoleReport([results[1]!], { maxDiffLines: 2 });
  assert.match(cut, /\+\+\+ got text\/plain\n {2}… 3 more diff lines/);
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name), parseAttributeValue: false, trimValues: false, htmlEntities: true });

test('JUnit: well-formed; one suite per notebook and config, one testcase per cell, counts add up', () => {
  const xml = toJUnitXml(sample(), { timestamp: '2026-11-20T10:00:00Z' });
  assert.equal(XMLValidator.validate(xml), true);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites'));
  const doc = parser.parse(xml);
  const root = doc.testsuites;
  assert.deepEqual([root.name, root.tests, root.failures, root.errors, root.skipped], ['run-notebook check', '7', '1', '2', '2']);
  const suites = root.testsuite as any[];
  assert.deepEqual(suites.map((s) => s.name), [
    'nb/plain.ipynb',
    'nb/plain.ipynb · config 3 (lr=0.1 <&> "q")',
    'nb/err.ipynb · config 0',
    'nb/skip.ipynb',
    'nb/dead.ipynb · config 7 (big)',
  ]);
  for (const s of suites) {
    const cases = s.testcase as any[];
    assert.equal(Number(s.tests), cases.length);
    assert.equal(Number(s.failures), cases.filter((c) => c.failure !== undefined).length);
    assert.equal(Number(s.errors), cases.filter((c) => c.error !== undefined).length);
    assert.equal(Number(s.skipped), cases.filter((c) => c.skipped !== undefined).length);
    assert.equal(s.timestamp, '2026-11-20T10:00:00Z');
  }
  assert.deepEqual(suites[1].properties.property, [
    { name: 'notebook', value: 'nb/plain.ipynb' },
    { name: 'config_index', value: '3' },
    { name: 'config_name', value: 'lr=0.1 <&> "q"' },
  ]);
});

test('JUnit: a failure carries the message and the unified diff; errors and skips theirs', () => {
  const doc = parser.parse(toJUnitXml(sample()));
  const [, mismatch, errored, skipped, dead] = doc.testsuites.testsuite as any[];
  const fc = mismatch.testcase[0];
  assert.equal(fc.name, 'cell 1: x');
  assert.equal(fc.classname, 'nb/plain.ipynb · config 3 (lr=0.1 <&> "q")');
  assert.equal(fc.failure.message, 'outputs differ: text/plain');
  assert.equal(fc.failure.type, 'OutputMismatch');
  assert.equal(fc.failure['#text'], '--- expected text/plain\n+++ got text/plain\n@@ -1,1 +1,1 @@\n-array([1, 2, 3])\n+array([1, 2, 4])\n');
  assert.equal(errored.testcase[0].error.message, "NameError: name 'f' is not defined");
  assert.equal(errored.testcase[1].skipped.message, 'not executed: cell 1 raised an error');
  assert.equal(skipped.testcase[0].skipped.message, 'not executed (NBVAL_SKIP)');
  assert.equal(skipped.testcase[1].failure, undefined);
  assert.deepEqual([dead.testcase[0].name, dead.testcase[0].error.message], ['notebook', 'kernel died while running cell 4']);
});

test('JUnit: markup, quotes, newlines, ANSI and forbidden control characters survive escaping', () => {
  const nasty = 'a<b>&"c"\'d\'\ttab\nnext\r\x1b[31mred\x1b[0m \x00\x07\x0b\x1f \uFFFE \uD800 😀';
  const xml = toJUnitXml([
    {
      notebook: nasty,
      configName: nasty,
      cells: [{ cellIndex: 0, firstLine: nasty, status: 'failed', message: nasty, diff: `--- e\n+++ g\n-${nasty}\n+]]> <![CDATA[\n` }],
    },
  ]);
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, /[\x00-\x08\x0b\x0c\x0e-\x1f]/, 'no raw control characters left');
  const tc = parser.parse(xml).testsuites.testsuite[0].testcase[0];
  const clean = 'a<b>&"c"\'d\'\ttab\nnext\rred \\u0000\\u0007\\u000b\\u001f \\ufffe \\ud800 😀';
  assert.equal(tc.failure.message, clean);
  assert.equal(tc.name, `cell 1: ${clean}`);
  assert.equal(tc.failure['#text'], `--- e\n+++ g\n-${clean}\n+]]> <![CDATA[\n`);
});

test('JUnit: time attributes only where durations are known', () => {
  const xml = toJUnitXml([
    { notebook: 'n', cells: [{ cellIndex: 0, firstLine: 'a', status: 'passed', durationMs: 1250 }, { cellIndex: 1, firstLine: 'b', status: 'passed' }] },
    { notebook: 'm', cells: [{ cellIndex: 0, firstLine: 'a', status: 'passed' }] },
  ]);
  const [n, m] = parser.parse(xml).testsuites.testsuite;
  assert.equal(n.time, '1.250');
  assert.deepEqual(n.testcase.map((c: any) => c.time), ['1.250', undefined]);
  assert.equal(m.time, undefined);
});

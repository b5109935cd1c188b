// `run-notebook check` end to end on the embedded server: stored outputs (pass and a real
// regression), sanitizers, nbval markers, goldens with --update_golden, smoke checks, the
// JUnit file and usage errors. Fixtures: fixtures/check/e2e (make_e2e_fixtures.py).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { CodeCell, Notebook } from '../../src/notebook/types.js';
import { processesMentioning, readJson, runCli, tempDir } from './support.js';

const E2E = 'fixtures/check/e2e';
const nb = (name: string) => `${E2E}/${name}.ipynb`;

interface TestCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '#text'?: string };
  error?: { '@_message': string };
  skipped?: { '@_message': string };
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase: TestCase[];
}

/** Parses a JUnit file back; every suite and testcase as an array. */
function readJUnit(path: string): { root: Record<string, string>; suites: Suite[] } {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' });
  const doc = parser.parse(readFileSync(path, 'utf8')) as { testsuites: Record<string, string> & { testsuite: Suite[] } };
  return { root: doc.testsuites, suites: doc.testsuites.testsuite };
}

const codeCells = (n: Notebook) => n.cells.filter((c): c is CodeCell => c.cell_type === 'code');

describe('run-notebook check', { concurrency: 2 }, () => {
  it('passes notebooks whose outputs match, thanks to sanitizers and markers; JUnit has one testcase per cell', async () => {
    const tmp = tempDir('rn-check-');
    const dst = join(tmp, 'out');
    const junit = join(tmp, 'report.xml');
    const r = await runCli(
      ['check', nb('stored'), nb('sanitize'), nb('markers'), '--sanitize-with', `${E2E}/sanitize.cfg`, '--junit_xml', junit, '--dst_dir', dst],
      { tmp },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), 'cells: 13 passed, 0 failed, 0 errors, 2 skipped; notebooks: 3 passed, 0 failed');

    // NBVAL_SKIP and nbval-skip cells were not executed; the run went on past both expected errors.
    const markers = codeCells(readJson<Notebook>(join(dst, 'markers', 'result_0', 'markers.ipynb')));
    assert.deepEqual(markers.slice(1, 3).map((c) => [c.execution_count, c.outputs.length]), [[null, 0], [null, 0]]);
    assert.deepEqual(markers.slice(3, 5).map((c) => c.outputs.map((o) => (o.output_type === 'error' ? o.ename : o.output_type))), [['ValueError'], ['KeyError']]);
    assert.equal(markers[5]!.outputs.length, 1);

    const { root, suites } = readJUnit(junit);
    assert.deepEqual([root['@_tests'], root['@_failures'], root['@_errors'], root['@_skipped']], ['15', '0', '0', '2']);
    assert.deepEqual(suites.map((s) => [s['@_name'], s.testcase.length]), [[nb('stored'), 4], [nb('sanitize'), 5], [nb('markers'), 6]]);
    assert.equal(suites[0]!.testcase[1]!['@_name'], 'cell 3: import os');
    assert.deepEqual(suites[2]!.testcase.filter((t) => t.skipped).map((t) => t.skipped!['@_message']), ['not executed (NBVAL_SKIP)', 'not executed (nbval-skip)']);
    assert.deepEqual(processesMentioning(tmp), [], 'no kernel or server left behind');
  });

  it('fails a real regression with notebook, cell number, first line and diff; JUnit failures carry the diff', async () => {
    const tmp = tempDir('rn-check-');
    const junit = join(tmp, 'report.xml');
    // CHECK_SCALE changes what three cells of stored.ipynb print and the error an NBVAL_RAISES_EXCEPTION cell raises.
    const r = await runCli(['check', nb('stored'), nb('markers'), '--junit-xml', junit], { tmp, env: { CHECK_SCALE: '3' } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(
      r.stdout.includes(
        `FAIL ${nb('stored')} · cell 3: import os\n  outputs differ: text/plain\n  --- expected text/plain\n  +++ got text/plain\n  @@ -1,1 +1,1 @@\n  -[0, 2, 4, 6]\n  +[0, 3, 6, 9]\n`,
      ),
      r.stdout,
    );
    assert.match(r.stdout, /FAIL fixtures\/check\/e2e\/stored\.ipynb · cell 4: from IPython\.display import HTML, display\n  outputs differ: text\/html\n[^]*?  -<b>scale 2<\/b>\n  \+<b>scale 3<\/b>\n/);
    assert.match(r.stdout, /FAIL fixtures\/check\/e2e\/markers\.ipynb · cell 4: import os\n  outputs differ: error\n[^]*?  -ValueError: expected failure 2\n  \+ValueError: expected failure 3\n/);
    assert.doesNotMatch(r.stdout, /markers\.ipynb · cell 1:/, 'NBVAL_IGNORE_OUTPUT cell is not compared');
    assert.match(r.stdout, /\ncells: 4 passed, 4 failed, 0 errors, 2 skipped; notebooks: 0 passed, 2 failed\n$/);

    const { root, suites } = readJUnit(junit);
    assert.equal(root['@_failures'], '4');
    const failed = suites[0]!.testcase.find((t) => t['@_name'] === 'cell 3: import os')!;
    assert.equal(failed.failure!['@_message'], 'outputs differ: text/plain');
    assert.match(failed.failure!['#text']!, /-\[0, 2, 4, 6\]\n\+\[0, 3, 6, 9\]/);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('run-notebook-check-')), [], 'the temporary run folder is removed');
  });

  it('fails outputs that change on every run without the default sanitizers, and cells without their markers', async () => {
    const r = await runCli(['check', nb('sanitize'), nb('markers_unmarked'), '--no_default_sanitizers']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const [cell, line, got] of [
      [1, 'print(object())', /\+<object object at 0x[0-9a-f]+>/],
      [2, 'import datetime', /\+now: \d{4}-\d\d-\d\dT/],
      [3, 'import uuid', /\+id: [0-9a-f]{8}-/],
      [4, 'import tempfile', /\+scratch: \/tmp\/\w+/],
      [5, 'import time', /\+took 0\.\d{6} s/], // no --sanitize_with here
    ] as const) {
      const block = r.stdout.split('\n\n').find((b) => b.startsWith(`FAIL ${nb('sanitize')} · cell ${cell}: ${line}\n`));
      assert.ok(block, `cell ${cell} fails:\n${r.stdout}`);
      assert.match(block, got);
    }
    // Unmarked: the random output is compared, and the cell that NBVAL_SKIP kept from running raises.
    assert.match(r.stdout, /FAIL fixtures\/check\/e2e\/markers_unmarked\.ipynb · cell 1: import random\n  outputs differ: stdout\n/);
    assert.match(r.stdout, /ERROR fixtures\/check\/e2e\/markers_unmarked\.ipynb · cell 2: raise RuntimeError\("an NBVAL_SKIP cell was executed"\)\n  RuntimeError: an NBVAL_SKIP cell was executed\n/);
    assert.match(r.stdout, /notebooks: 0 passed, 2 failed\n$/);
  });

  it('records goldens with --update_golden, passes against them, and fails on an edited or missing golden', async () => {
    const golden = join(tempDir('rn-golden-'), 'golden');
    const args = ['check', '--notebook', nb('golden'), '--config_builder', `${E2E}/golden.yaml`, '--golden_dir', golden];

    const record = await runCli([...args, '--update_golden']);
    assert.equal(record.code, 0, record.stdout + record.stderr);
    assert.match(record.stdout, /^recorded .*result_0\/golden\.ipynb\nrecorded .*result_1\/golden\.ipynb\n2 golden notebooks written to /);
    const g0 = readJson<Notebook>(join(golden, 'result_0', 'golden.ipynb'));
    assert.deepEqual(codeCells(g0).map((c) => c.outputs.map((o) => (o.output_type === 'stream' ? ([] as string[]).concat(o.text).join('') : o.output_type))), [[], [], ['scale is 1\n'], ['execute_result'], ['execute_result']]);
    assert.equal(g0.metadata.run_notebook, undefined, 'no run times in a golden');
    assert.ok(g0.cells.every((c) => c.metadata.execution === undefined), 'no cell timings in a golden');
    assert.equal(g0.cells[1]!.id, 'injected-parameters');

    const check = await runCli(args);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.trim(), 'cells: 8 passed, 0 failed, 0 errors, 0 skipped; notebooks: 2 passed, 0 failed');

    // Re-recording an unchanged notebook leaves the goldens byte for byte as they were.
    const p0 = join(golden, 'result_0', 'golden.ipynb');
    const before = readFileSync(p0, 'utf8');
    const again = await runCli([...args, '--update_golden']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(readFileSync(p0, 'utf8'), before);

    writeFileSync(p0, readFileSync(p0, 'utf8').replace('"scale is 1\\n"', '"scale is 100\\n"'));
    rmSync(join(golden, 'result_1'), { recursive: true });
    const broken = await runCli(args);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /FAIL fixtures\/check\/e2e\/golden\.ipynb · config 0 \(scale=1\) · cell 2: print\("scale is", scale\)\n  outputs differ: stdout\n[^]*  -scale is 100\n  \+scale is 1\n/);
    assert.match(broken.stdout, /ERROR fixtures\/check\/e2e\/golden\.ipynb · config 1 \(scale=2\): no golden notebook .*result_1\/golden\.ipynb: record it with --update_golden\n/);
    assert.ok(!existsSync(join(golden, 'result_1')), 'a check never writes goldens');
  });

  it('--smoke ignores changed outputs; a sweep without goldens is smoke-checked and fails on an error', async () => {
    const [smoke, sweep] = await Promise.all([
      runCli(['check', '--smoke', nb('stored')], { env: { CHECK_SCALE: '3' } }),
      runCli(['check', '--notebook', nb('golden'), '--config_builder', `${E2E}/smoke_fail.yaml`]),
    ]);
    assert.equal(smoke.code, 0, smoke.stdout + smoke.stderr);
    assert.equal(smoke.stdout.trim(), 'cells: 4 passed, 0 failed, 0 errors, 0 skipped; notebooks: 1 passed, 0 failed');
    assert.equal(sweep.code, 1, sweep.stdout + sweep.stderr);
    assert.match(sweep.stdout, /^ERROR fixtures\/check\/e2e\/golden\.ipynb · config 1 \(scale=3\) · cell 4: if scale == 3:\n  RuntimeError: scale 3 is broken on purpose\n/);
    assert.match(sweep.stdout, /notebooks: 1 passed, 1 failed\n$/);
  });

  it('exits 2 with one line on usage errors, before anything runs', async () => {
    const bad = join(tempDir('rn-check-'), 'bad.cfg');
    writeFileSync(bad, '[x]\nregex: (unclosed\nreplace: y\n');
    const runs = await Promise.all([
      runCli(['check', nb('nope')]),
      runCli(['check', nb('stored'), '--sanitize_with', bad]),
      runCli(['check', nb('stored'), '--update_golden']),
    ]);
    const expected = [/^error: .*nope\.ipynb/, /^error: .*bad\.cfg: .*line 2/, /^error: --update_golden needs --golden_dir/];
    runs.forEach((r, i) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, expected[i]!);
      assert.equal(r.stdout, '');
    });
  });
});

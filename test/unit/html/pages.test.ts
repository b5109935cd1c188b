import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { renderNotebookHtml, renderSweepIndexHtml, type RunHeader, type SweepIndex } from '../../../src/html/index.js';
import { formatDuration, formatValue } from '../../../src/html/format.js';
import { bodyOf, code, md, notebook } from './helpers.js';

const failed: RunHeader = {
  index: 3,
  name: 'lr=0.1, batch=32',
  status: 'failed',
  durationSec: 14.62,
  attempts: 2,
  configText: "{'lr': 0.1, 'batch': 32}",
  configJson: { lr: 0.1, batch: 32 },
  error: { cellIndex: 1, headline: '\u001b[31mZeroDivisionError\u001b[39m: division by zero' },
};

describe('run header', () => {
  const nb = notebook([md('# T'), code('1/0'), code('after')]);

  test('shows name, status, duration, attempts and the config in a collapsed <details>', () => {
    const body = bodyOf(renderNotebookHtml(nb, { runHeader: failed, title: 'study' }));
    assert.match(body, /<span class="rn-run-index">#3<\/span> lr=0.1, batch=32/);
    assert.match(body, /<span class="rn-status rn-status-failed">failed<\/span>/);
    assert.match(body, /Duration <b>14.6 s<\/b>/);
    assert.match(body, /Attempts <b>2<\/b>/);
    assert.match(body, /<details class="rn-config"><summary>Configuration <span class="rn-config-preview">lr=0.1, batch=32<\/span><\/summary>/);
    assert.match(body, /<th scope="row">lr<\/th><td>0.1<\/td>/);
    assert.match(body, /\{&#39;lr&#39;: 0.1, &#39;batch&#39;: 32\}/);
  });

  test('a failed run gets a red banner linking to the failing cell, ANSI stripped', () => {
    const html = renderNotebookHtml(nb, { runHeader: failed });
    assert.match(html, /<div class="rn-banner" role="alert"><div><strong>Failed<\/strong> in cell 2 \(In \[1\]\): <span class="rn-headline">ZeroDivisionError: division by zero<\/span> <a href="#cell-1">/);
    assert.match(html, /<div class="rn-cell rn-cell-code" id="cell-1">/);
    assert.match(html, /<title>Notebook \(failed\)<\/title>/);
  });

  test('an explicit anchorId wins', () => {
    const html = renderNotebookHtml(nb, { runHeader: { ...failed, error: { cellIndex: 1, headline: 'x', anchorId: 'run-notebook-error' } } });
    assert.match(html, /<a href="#run-notebook-error">/);
  });

  test('with error-marker cells in the notebook, the banner links to the cell after the marker anchor', () => {
    const marked = notebook([
      md('**Execution failed at cell 2.**', { metadata: { run_notebook: { error_marker: 'banner' } } }),
      md('# T'),
      md('<span id="run-notebook-error">The next cell failed.</span>', { metadata: { run_notebook: { error_marker: 'anchor' } } }),
      code('1/0'),
    ]);
    const html = renderNotebookHtml(marked, { runHeader: failed });
    assert.match(html, /in cell 2 \(In \[1\]\): .*<a href="#cell-3">Go to the failing cell/, 'counted without the marker cells, like the marker text');
    assert.match(html, /<span id="run-notebook-error">The next cell failed.<\/span>/, 'the marker is rendered as ordinary markdown');
  });

  test('other statuses: amber banner, no banner on success', () => {
    const timeout = renderNotebookHtml(nb, { runHeader: { index: 1, name: 'a', status: 'timeout', error: { cellIndex: 2, headline: 'timeout after 30 s' } } });
    assert.match(timeout, /class="rn-banner rn-banner-warn" role="alert"><div><strong>Timeout<\/strong> in cell 3 \(In \[1\]\)/);
    const ok = renderNotebookHtml(nb, { runHeader: { index: 0, name: 'a', status: 'success', durationSec: 0.42, attempts: 1 } });
    assert.doesNotMatch(bodyOf(ok), /rn-banner/);
    assert.match(ok, /Duration <b>0.42 s<\/b>/);
    const died = renderNotebookHtml(nb, { runHeader: { index: 0, name: 'a', status: 'kernel_died' } });
    assert.match(died, /<span class="rn-status rn-status-kernel_died">kernel died<\/span>/);
  });

  test('the run name is escaped', () => {
    const html = renderNotebookHtml(nb, { runHeader: { index: 0, name: '<img src=x onerror=alert(1)>', status: 'success' } });
    assert.doesNotMatch(bodyOf(html), /<img src=x/);
  });
});

describe('sweep index', () => {
  const data: SweepIndex = {
    title: 'demo sweep',
    notebook: 'notebooks/demo.ipynb',
    startedAt: '2026-11-23T10:00:00.000Z',
    endedAt: '2026-11-23T10:02:05.000Z',
    rows: [
      { index: 0, name: 'lr=0.1', status: 'success', attempts: 1, durationSec: 12.5, params: { lr: 0.1, model: 'small' }, results: { acc: 0.91234567 }, htmlHref: 'result_0/demo.html', notebookHref: 'result_0/demo.ipynb' },
      { index: 1, name: 'lr=1', status: 'failed', attempts: 2, durationSec: 3, params: { lr: 1, model: 'small' }, results: {}, htmlHref: 'result_1/demo.html', error: 'ZeroDivisionError: division by zero' },
      { index: 2, name: '<b>x</b>', status: 'timeout', attempts: 1, params: { lr: 0.01, extra: true }, results: { acc: 0.5 } },
    ],
  };
  const html = renderSweepIndexHtml(data);
  const body = bodyOf(html);

  const payload = () => JSON.parse(/<script type="application\/json" id="rn-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { params: string[]; results: string[]; anyError: boolean; rows: Record<string, unknown>[] };

  test('the page carries every run as data for its script: status, attempts, duration, params, results, links', () => {
    const d = payload();
    assert.deepEqual(d.params, ['lr', 'model', 'extra']);
    assert.deepEqual(d.results, ['acc']);
    assert.equal(d.anyError, true);
    assert.deepEqual(d.rows[0], { i: 0, auto: 'lr=0.1', s: 'success', d: 12.5, k: null, a: 1, p: { lr: 0.1, model: 'small' }, r: { acc: 0.91234567 }, h: 'result_0/demo.html', nb: 'result_0/demo.ipynb' });
    assert.equal(d.rows[1]!.e, 'ZeroDivisionError: division by zero');
    assert.ok(!html.includes('<b>x</b>'), 'names are escaped everywhere, the JSON block included');
    assert.match(body, /started 2026-11-23 10:00:00 UTC/);
  });

  test('without JavaScript: a plain table of every run (noscript)', () => {
    const plain = /<noscript>([\s\S]*)<\/noscript>/.exec(body)![1]!;
    assert.equal(plain.match(/<tr><td>/g)?.length, 3);
    assert.match(plain, /<td>0<\/td><td><a href="result_0\/demo.html">lr=0.1<\/a> <a class="rn-file" href="result_0\/demo.ipynb">ipynb<\/a><\/td><td><span class="rn-status rn-status-success">success<\/span><\/td><td>12.5 s<\/td><td>0.912346<\/td>/);
    assert.match(plain, /ZeroDivisionError: division by zero/);
    assert.match(plain, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.match(plain, /<td>True<\/td>/);
  });

  test('summary chips count statuses (and filter by them) and show the wall time', () => {
    assert.match(body, /<b>3<\/b><span>runs<\/span>/);
    assert.match(body, /rn-chip-success" data-term="status=success"[^>]*><b>1<\/b><span>success<\/span>/);
    assert.match(body, /rn-chip-failed" data-term="status=failed"[^>]*><b>1<\/b>/);
    assert.match(body, /<b>2 min 05 s<\/b><span>wall time<\/span>/);
  });

  test('the only script (ECharts, jsdiff and ours, in one element) is allowed by its hash in the CSP', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]!, /echarts/);
    const hash = createHash('sha256').update(scripts[0]!, 'utf8').digest('base64');
    assert.ok(html.includes(`script-src 'sha256-${hash}'`));
  });

  test('an empty sweep still renders', () => {
    assert.match(renderSweepIndexHtml({ title: 't', notebook: 'n', rows: [] }), /No runs yet/);
  });
});

describe('formatting', () => {
  test('durations', () => {
    assert.equal(formatDuration(0.123), '0.12 s');
    assert.equal(formatDuration(9.95), '9.9 s');
    assert.equal(formatDuration(59.4), '59.4 s');
    assert.equal(formatDuration(59.97), '1 min 00 s');
    assert.equal(formatDuration(125), '2 min 05 s');
    assert.equal(formatDuration(7325), '2 h 02 min');
    assert.equal(formatDuration(undefined), '');
  });

  test('values', () => {
    assert.equal(formatValue(0.1 + 0.2), '0.3');
    assert.equal(formatValue(1e-7), '1e-7');
    assert.equal(formatValue(null), 'None');
    assert.equal(formatValue({ a: [1, null, true] }), '{"a": [1, None, True]}');
    assert.equal(formatValue('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});

describe('determinism', () => {
  test('the same notebook renders to the same bytes (pages can be diffed and cached)', async () => {
    const { readNotebook } = await import('../../../src/notebook/index.js');
    for (const name of ['images', 'math', 'script', 'dataframe']) {
      const nb = await readNotebook(`fixtures/html/${name}.ipynb`);
      const a = renderNotebookHtml(nb, { notebookDir: 'fixtures/html', runHeader: failed });
      const b = renderNotebookHtml(nb, { notebookDir: 'fixtures/html', runHeader: failed });
      assert.equal(a, b, name);
      assert.doesNotMatch(a, /\uE000|\uE001/, 'no placeholder left behind');
    }
  });
});

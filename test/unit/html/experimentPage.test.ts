import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderExperimentHtml, type ExperimentPage } from '../../../src/html/index.js';
import { bodyOf } from './helpers.js';

const TB = ['\u001b[31m---------\u001b[39m', '\u001b[36mFile \u001b[39m\u001b[32m/x/trainer.py:21\u001b[39m, in \u001b[36mrun\u001b[39m', '\u001b[31mValueError\u001b[39m: bad <seed>'];

const failed: ExperimentPage = {
  title: 'trainer.run · seed=3',
  target: 'trainer.run',
  kernel: 'python3',
  header: { index: 2, name: 'seed=3', status: 'failed', durationSec: 1.5, attempts: 2, configText: "{'seed': 3}", configJson: { seed: 3 }, error: { cellIndex: 0, headline: 'ValueError: bad <seed>' } },
  results: { recorded_inside: 30, curve: [1, 0.5] },
  outputs: [
    { output_type: 'stream', name: 'stdout', text: 'training\n' },
    { output_type: 'stream', name: 'stderr', text: '\u001b[31mred\u001b[0m\n' },
    { output_type: 'error', ename: 'ValueError', evalue: 'bad <seed>', traceback: TB },
  ],
  logHref: 'log.txt',
};

test('an experiment page: header with config, a banner linking to the traceback, results, coloured log and traceback', () => {
  const html = renderExperimentHtml(failed);
  const body = bodyOf(html);
  assert.match(html, /<title>trainer\.run · seed=3 \(failed\)<\/title>/);
  assert.match(body, /experiment <code>trainer\.run<\/code>/);
  assert.match(body, /<span class="rn-run-index">#2<\/span> seed=3/);
  assert.match(body, /<th scope="row">seed<\/th><td>3<\/td>/);
  assert.match(body, /<strong>Failed<\/strong> in the experiment: <span class="rn-headline">ValueError: bad &lt;seed&gt;<\/span> <a href="#traceback">Go to the traceback ↓<\/a>/);
  assert.match(body, /<th scope="row">recorded_inside<\/th><td>30<\/td>/);
  assert.match(body, /<th scope="row">curve<\/th><td>\[1, 0\.5\]<\/td>/);
  assert.match(body, /<pre class="rn-stream rn-stream-stdout">training<\/pre>/);
  assert.match(body, /rn-stream-stderr[^>]*><span class="ansi-red-fg">red<\/span>/);
  // IPython's colours become classes; the user's text is escaped
  assert.match(body, /<div class="rn-out-body rn-exp-output" id="traceback"><div class="rn-traceback-box" role="alert"><pre class="rn-traceback">/);
  assert.match(body, /<span class="ansi-red-fg">ValueError<\/span>: bad &lt;seed&gt;/);
  assert.ok(!body.includes('\u001b'));
  assert.match(body, /<a href="log\.txt">Full log of every attempt<\/a>/);
  assert.match(html, /Content-Security-Policy/);
});

test('a successful run has no banner; nothing recorded and no output are said so', () => {
  const body = bodyOf(renderExperimentHtml({ ...failed, header: { ...failed.header, status: 'success', error: undefined }, results: {}, outputs: [] }));
  assert.ok(!body.includes('rn-banner'));
  assert.match(body, /Nothing recorded\./);
  assert.match(body, /The function printed nothing\./);
});

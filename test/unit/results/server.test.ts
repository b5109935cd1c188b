// The summary's server and host columns (issue 12): named by the server's --servers name,
// and shown on the index page only when runs went to more than one server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlannedConfig } from '../../../src/config/index.js';
import { renderIndex } from '../../../src/results/indexPage.js';
import type { AttemptRecord, RunRecord } from '../../../src/results/runRecord.js';
import { attemptRows, summaryRow } from '../../../src/results/rows.js';
import { toCsv } from '../../../src/results/csv.js';
import { row } from './helpers.js';

const config = (index: number): PlannedConfig => ({ index, json: { i: index }, params: { i: index }, name: `i=${index}`, repr: `{'i': ${index}}` });
const paths = { dstDir: '/d', dir: '/d/result_0', notebook: '/d/result_0/nb.ipynb', html: '/d/result_0/nb.html', own: new Set<string>() };

function attempt(extra: Partial<AttemptRecord>): AttemptRecord {
  return { attempt: 1, status: 'ok', startedAt: 't0', endedAt: 't1', durationSec: 1, ...extra };
}
function record(attempts: AttemptRecord[]): RunRecord {
  return { index: 0, name: 'i=0', status: 'success', fingerprint: 'f', startedAt: 't0', endedAt: 't1', durationSec: 1, attempts, results: {}, kernel: 'python3' };
}

describe('server and host columns', () => {
  test("a run's row names the server its last attempt ran on, by its --servers name, with the URL's host", () => {
    const rec = record([
      attempt({ attempt: 1, status: 'error', server: 'http://10.0.0.1:8888/', host: '10.0.0.1', serverName: 'gpu-a' }),
      attempt({ attempt: 2, server: 'http://10.0.0.2:8888/', host: '10.0.0.2', serverName: 'gpu-b' }),
    ]);
    const r = summaryRow(config(0), rec, 'ran', paths, []);
    assert.equal(r.server, 'gpu-b');
    assert.equal(r.host, '10.0.0.2');
    assert.deepEqual(attemptRows(rec).map((a) => [a.server, a.host]), [['gpu-a', '10.0.0.1'], ['gpu-b', '10.0.0.2']]);
  });

  test('a server without a name (the embedded one) is named by its URL; a run that never ran has none', () => {
    assert.equal(summaryRow(config(0), record([attempt({ server: 'http://127.0.0.1:9999/', host: '127.0.0.1' })]), 'ran', paths, []).server, 'http://127.0.0.1:9999/');
    const none = summaryRow(config(0), undefined, 'not_started', paths, []);
    assert.equal(none.server, null);
    assert.equal(none.host, null);
  });

  test('summary.csv has both columns', () => {
    const [head, line] = toCsv([row(0, {}, {}, { server: 'gpu-a', host: '10.0.0.1' })]).split('\n');
    const cols = head!.split(',');
    const vals = line!.split(',');
    assert.equal(vals[cols.indexOf('server')], 'gpu-a');
    assert.equal(vals[cols.indexOf('host')], '10.0.0.1');
  });

  const payload = (html: string) => JSON.parse(/<script type="application\/json" id="rn-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { manyServers: boolean; manyHosts: boolean; rows: { sv?: string; ho?: string }[] };
  const meta = { title: 't', notebook: 'nb.ipynb', startedAt: 't0', endedAt: null };

  test('the index page carries each run\'s server and host, and asks for the columns only when runs went to several', () => {
    const spread = payload(renderIndex([row(0, {}, {}, { server: 'a', host: 'h1' }), row(1, {}, {}, { server: 'b', host: 'h1' })], meta, { live: false }));
    assert.deepEqual(spread.rows.map((r) => [r.sv, r.ho]), [['a', 'h1'], ['b', 'h1']]);
    assert.equal(spread.manyServers, true);
    assert.equal(spread.manyHosts, false);
    const one = payload(renderIndex([row(0, {}, {}, { server: 'a', host: 'h1' }), row(1, {}, {}, { server: null, host: null })], meta, { live: false }));
    assert.equal(one.manyServers, false);
    assert.equal(one.rows[1]!.sv, undefined);
  });
});

// Fault suite: what a notebook can throw at the runner. Huge and oversized messages, a
// 50 MB image, hostile strings in every place a user string reaches a page, a builder
// that changes its mind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { assertNoProcessLeft, assertTreeIntact, fixture, runJson, runRunner, serverPidOf, startRunner, summaryJson, sweepWorkspace, tempDir, waitForFile } from './support.js';

const T = { timeout: 180_000 };

describe('faults: big outputs', () => {
  it('one 101 MiB message (over ws’s old 100 MiB limit) arrives; the notebook keeps 16 Mi characters, log.txt all of it', T, async () => {
    const w = sweepWorkspace([{ mode: 'big_stream', size_mb: 101 }]);
    const r = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--no_html', '--cell_timeout', '120']);
    assert.equal(r.code, 0, r.stderr);
    const log = statSync(join(w.dst, 'result_0', 'log.txt')).size;
    assert.ok(log >= 101 * 2 ** 20, `log.txt has the whole stream (${log} bytes)`);
    const nbText = readFileSync(join(w.dst, 'result_0', 'work.ipynb'), 'utf8');
    assert.ok(nbText.length < 40 * 2 ** 20, `the notebook is capped (${nbText.length} chars)`);
    assert.match(nbText, /more characters of output are not kept in the notebook/);
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });

  it('a message over the runner’s limit fails its cell with a clear error, never a hang', T, async () => {
    const w = sweepWorkspace([{ mode: 'big_stream', size_mb: 12 }, {}]);
    const t0 = Date.now();
    const r = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst], { env: { RUN_NOTEBOOK_MAX_MESSAGE_MB: '8' } });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - t0 < 90_000);
    assert.equal(runJson(w.dst, 0).error, "a kernel message over 8 MiB (the runner's limit) was dropped; write big data to files instead (cell 4)");
    assert.equal(runJson(w.dst, 1).status, 'success');
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });

  it('a 50 MB image is kept whole in the notebook and the page', T, async () => {
    const w = sweepWorkspace([{ mode: 'image', size_mb: 50 }]);
    const r = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync(join(w.dst, 'result_0', 'work.ipynb')).size > 50 * 2 ** 20 * 1.3);
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });
});

const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"'&`;

describe('faults: hostile strings', () => {
  it('in config values, _name, _tags, outputs, error messages and file names: every page escapes them', T, async () => {
    const dir = tempDir('rn-hostile-');
    const nbName = 'nb <i>x & "q" <img src=y onerror=alert(3)>.ipynb';
    const nb = join(dir, nbName);
    const src = JSON.parse(readFileSync(fixture('faults', 'work.ipynb'), 'utf8'));
    src.cells.push({ cell_type: 'code', execution_count: null, id: 'h1', metadata: {}, outputs: [], source: `print(${JSON.stringify(HOSTILE)})\nraise ValueError(${JSON.stringify(HOSTILE)})` });
    writeFileSync(nb, JSON.stringify(src));
    const sweep = join(dir, 'sweep.yaml');
    writeFileSync(sweep, toYaml({ configs: [{ _name: HOSTILE, _tags: [HOSTILE], label: HOSTILE }] }));
    const dst = join(dir, 'out');
    const r = await runRunner(['--notebook', nb, '--config_builder', sweep, '--dst_dir', dst]);
    assert.equal(r.code, 1, r.stderr);
    const pages: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.html')) pages.push(p);
      }
    };
    walk(dst);
    assert.ok(pages.length >= 2, 'the run page and the index');
    for (const p of pages) {
      const html = readFileSync(p, 'utf8');
      assert.ok(!html.includes('<script>window.__pwned'), `${p} has the raw script`);
      assert.ok(!html.includes('<img src=x onerror'), `${p} has the raw img`);
      assert.ok(!html.includes('<i>x') && !html.includes('<img src=y'), `${p} has the raw file name`);
    }
    assertTreeIntact(dst);
    await assertNoProcessLeft(r.marker);
  });
});

describe('faults: builders', () => {
  it('a builder that changes its count between evaluations: the runs it no longer has fail, saying so', T, async () => {
    const dir = tempDir('rn-count-');
    const nb = join(dir, 'work.ipynb');
    writeFileSync(nb, readFileSync(fixture('faults', 'work.ipynb')));
    writeFileSync(join(dir, 'counting.py'), readFileSync(fixture('faults', 'counting.py')));
    const nb2 = JSON.parse(readFileSync(nb, 'utf8'));
    nb2.cells.push({ cell_type: 'code', execution_count: null, id: 'g', metadata: {}, outputs: [], source: 'from run_notebook import get_config_from_env\nget_config_from_env()' });
    writeFileSync(nb, JSON.stringify(nb2));
    const dst = join(dir, 'out');
    const r = await runRunner(['--notebook', nb, '--config_builder', `counting.build(${JSON.stringify(join(dir, 'count.txt'))})`, '--dst_dir', dst, '--num_threads', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(runJson(dst, 0).status, 'success');
    for (const i of [1, 2]) assert.match(runJson(dst, i).error!, /config builder is not deterministic: it returned 1 configs, so config \d does not exist/);
    assertTreeIntact(dst);
    await assertNoProcessLeft(r.marker);
  });
});

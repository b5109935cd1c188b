// Remote result folders on real servers: a jupyter_server with its own root_dir stands in
// for another machine (the notebook's get_result_dir() is a scratch folder under that
// root), and Kernel Gateway (no contents API) for a gateway. The files a notebook writes
// there (text, binary, a subfolder) come back byte-identical through the contents API and
// through the kernel channel; the scratch folder is gone afterwards; the runner's own
// run.json is never overwritten; `--artifacts none` copies nothing; a failed copy does not
// fail the run.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RemoteFolderRecord, RunRecord } from '../../src/results/runRecord.js';
import { markedKernels, newMarker, startFleetServer, stopFleet, unavailable, type FleetServer } from './fleet.js';
import { fixture, readJson, runCli, tempDir } from './support.js';

const marker = newMarker();
const started: FleetServer[] = [];
after(() => stopFleet(started, marker));

const NOTEBOOK = fixture('artifacts', 'files.ipynb');
const THREE = fixture('artifacts', 'three.yaml');

async function start(kind: 'server' | 'kg'): Promise<{ s: FleetServer; root: string }> {
  const root = tempDir('rn-remote-root-');
  const s = await startFleetServer(kind, { marker, rootDir: root });
  started.push(s);
  return { s, root };
}

async function sweep(s: FleetServer, extra: string[] = [], dst = tempDir('rn-remote-dst-')) {
  const t0 = Date.now();
  const r = await runCli(['--notebook', NOTEBOOK, '--config_builder', THREE, '--dst_dir', dst, '--server_url', s.url, '--token', s.token, '--no_html', '--num_threads', '2', ...extra]);
  const run = (i: number) => readJson<RunRecord>(join(dst, `result_${i}`, 'run.json'));
  return { r, dst, run, seconds: (Date.now() - t0) / 1000 };
}

const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function folderOf(run: RunRecord): RemoteFolderRecord {
  const rec = run.attempts.at(-1)!.remoteFolder;
  assert.ok(rec, `no remoteFolder in run.json: ${JSON.stringify(run.attempts.at(-1))}`);
  return rec;
}

/** Every file the notebook wrote (by its own sha256) is in result_<idx>/ with the same bytes. */
function assertCopied(dst: string, run: RunRecord): void {
  const want = run.results.sha256 as Record<string, string>;
  const dir = join(dst, `result_${run.index}`);
  for (const [rel, sum] of Object.entries(want)) {
    if (rel === 'run.json') continue;
    assert.equal(sha256(join(dir, ...rel.split('/'))), sum, `${rel} of result_${run.index}`);
  }
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'héllo from the kernel\nline 2\n');
}

function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? tree(join(dir, n)).map((c) => `${n}/${c}`) : [n]));
}

/** The three runs of three.yaml on one server, checked the same way whatever the route. */
function assertThreeRuns(out: Awaited<ReturnType<typeof sweep>>, route: 'contents' | 'kernel', root: string): void {
  const { r, dst, run } = out;
  // Config 2 fails on purpose: exit 1, and its files came back all the same.
  assert.equal(r.code, 1, r.stderr);
  for (const i of [0, 1, 2]) {
    const rec = folderOf(run(i));
    assert.equal(rec.route, route, `result_${i}`);
    assert.equal(rec.removed, true, `result_${i}: scratch folder removed`);
    assert.equal(rec.error, undefined, `result_${i}: ${rec.error}`);
    assert.deepEqual(rec.unchanged, ['config.json'], `result_${i}: the scratch config.json is the runner's own`);
    // The contents API does not serve dotfiles: the kernel brings them.
    assert.equal(rec.byKernel, route === 'contents' ? 1 : undefined, `result_${i}`);
    assertCopied(dst, run(i));
    // The notebook saw a folder on the server's side, absolute, under the kernel's cwd (the root).
    const seen = run(i).results.result_dir as string;
    assert.ok(seen.startsWith(join(root, 'run-notebook-scratch') + '/') && seen.endsWith(`/result_${i}`), seen);
  }
  assert.equal(run(0).status, 'success');
  assert.ok(existsSync(join(dst, 'result_0', 'last.txt')));
  assert.equal(folderOf(run(0)).bytes, statSync(join(dst, 'result_0', 'blob.bin')).size + statSync(join(dst, 'result_0', 'notes.txt')).size + statSync(join(dst, 'result_0', 'sub', 'deeper', 'cfg.json')).size + statSync(join(dst, 'result_0', '.dotfile')).size + 'the last cell ran'.length);
  // The clash: the notebook's run.json is recorded, the runner's is kept.
  assert.deepEqual(folderOf(run(1)).conflicts, ['run.json']);
  assert.equal(run(1).index, 1);
  assert.match(r.stderr + r.stdout, /result_1: remote result folder: not overwriting the runner's run\.json/);
  assert.equal(run(2).status, 'failed');
  assert.ok(!existsSync(join(dst, 'result_2', 'last.txt')));
  // Nothing left in the server's root.
  assert.deepEqual(tree(root), [], `left in the server's root: ${tree(root).join(', ')}`);
}

describe('remote result folders', { timeout: 300_000 }, () => {
  let server: { s: FleetServer; root: string } | undefined;
  before(async () => {
    if (!unavailable('server')) server = await start('server');
  });

  it('jupyter_server with its own root: files come back through the contents API, byte-identical, the scratch removed', { skip: unavailable('server') }, async () => {
    const out = await sweep(server!.s);
    assertThreeRuns(out, 'contents', server!.root);
    const rec = folderOf(out.run(0));
    console.log(`# contents API: result_0 ${(rec.bytes / 2 ** 20).toFixed(2)} MiB in ${rec.seconds.toFixed(2)}s (${(rec.bytes / 2 ** 20 / rec.seconds).toFixed(1)} MiB/s); sweep ${out.seconds.toFixed(1)}s`);
  });

  it('the same server with --artifacts kernel: the kernel channel, in chunks with a sha256, gives the same bytes', { skip: unavailable('server') }, async () => {
    const out = await sweep(server!.s, ['--artifacts', 'kernel']);
    assertThreeRuns(out, 'kernel', server!.root);
    const rec = folderOf(out.run(0));
    console.log(`# kernel channel: result_0 ${(rec.bytes / 2 ** 20).toFixed(2)} MiB in ${rec.seconds.toFixed(2)}s (${(rec.bytes / 2 ** 20 / rec.seconds).toFixed(1)} MiB/s); sweep ${out.seconds.toFixed(1)}s`);
  });

  it('Kernel Gateway (no contents API): the kernel channel, the scratch removed from its root', { skip: unavailable('kg') }, async () => {
    const { s, root } = await start('kg');
    const out = await sweep(s);
    assertThreeRuns(out, 'kernel', root);
  });

  it('--artifacts none (shared storage): nothing is copied, the kernel writes into --dst_dir itself', { skip: unavailable('server') }, async () => {
    const { r, dst, run } = await sweep(server!.s, ['--artifacts', 'none', '--index', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(run(0).attempts.at(-1)!.remoteFolder, undefined);
    assert.equal(run(0).results.result_dir, join(dst, 'result_0'));
    assertCopied(dst, run(0));
    assert.deepEqual(tree(server!.root), []);
  });

  it("a servers file's `artifacts` for a server wins: kernel there, none with shared storage", { skip: unavailable('server') }, async () => {
    const s = server!.s;
    for (const mode of ['kernel', 'none'] as const) {
      const file = join(tempDir('rn-servers-'), 'servers.yaml');
      writeFileSync(file, `servers:\n  - name: far\n    url: ${s.url}\n    token_env: RN_FAR_TOKEN\n    artifacts: ${mode}\n`);
      const dst = tempDir('rn-remote-dst-');
      const r = await runCli(['--notebook', NOTEBOOK, '--config_builder', THREE, '--index', '0', '--dst_dir', dst, '--servers', file, '--no_html'], { env: { RN_FAR_TOKEN: s.token } });
      assert.equal(r.code, 0, r.stderr);
      const run = readJson<RunRecord>(join(dst, 'result_0', 'run.json'));
      assert.equal(run.attempts.at(-1)!.remoteFolder?.route, mode === 'kernel' ? 'kernel' : undefined, mode);
      assertCopied(dst, run);
      assert.deepEqual(tree(server!.root), []);
    }
  });

  it('a copy that fails is recorded and told, and the run still succeeds', { skip: unavailable('server') }, async () => {
    // A local file where the copy needs a folder: sub/deeper/cfg.json cannot be written.
    const dst = tempDir('rn-remote-dst-');
    mkdirSync(join(dst, 'result_0'), { recursive: true });
    writeFileSync(join(dst, 'result_0', 'sub'), 'a file, not a folder');
    const { r, run } = await sweep(server!.s, ['--index', '0'], dst);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(run(0).status, 'success');
    const rec = folderOf(run(0));
    assert.deepEqual(rec.failed?.map((f) => f.path), ['sub/deeper/cfg.json']);
    assert.equal(rec.copied, 4, 'the other files still came back');
    assert.equal(rec.removed, true);
    assert.match(r.stderr + r.stdout, /result_0: remote result folder: 1 file\(s\) failed \(sub\/deeper\/cfg\.json: /);
    assert.equal(sha256(join(dst, 'result_0', 'blob.bin')), (run(0).results.sha256 as Record<string, string>)['blob.bin']);
  });

  it('leaves no kernel behind', () => {
    assert.deepEqual(markedKernels(marker, started.map((x) => x.pid)), []);
  });
});

// The local half of remote result folders with a fake remote folder: what is copied, what
// counts as the runner's own, checksums, unsafe paths and limits; which servers get a
// scratch folder. The routes themselves run on real servers in
// test/integration/remoteResults.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JupyterServer, RemoteFile, RemoteFolder } from '../../../src/jupyter/index.js';
import { RunLayout } from '../../../src/results/layout.js';
import { copyBack, safeRelPath, COPY_LIMITS } from '../../../src/sweep/copyBack.js';
import type { SweepEvent } from '../../../src/sweep/events.js';
import { RemoteResults, runnerFileNames } from '../../../src/sweep/remoteResults.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A remote folder held in memory; `lie` reports a wrong sha256 for those paths. */
function fakeFolder(files: Record<string, Buffer>, lie: string[] = []): RemoteFolder {
  return {
    route: 'kernel',
    list: async (max) => {
      const all = Object.keys(files).sort();
      return {
        files: all.slice(0, max).map((path) => ({ path, size: files[path]!.length, sha256: lie.includes(path) ? sha(Buffer.from('other')) : sha(files[path]!) })),
        skipped: all.slice(max).map((path) => ({ path, why: `more than ${max} files` })),
      };
    },
    read: async (f: RemoteFile) => ({ bytes: files[f.path]!, sha256: f.sha256 }),
    remove: async () => true,
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'rn-copy-'));

describe('copyBack', () => {
  it('copies text, binary and nested files byte for byte', async () => {
    const dir = tmp();
    const bin = Buffer.from([0, 255, 10, 13, 0, 1]);
    const r = await copyBack(fakeFolder({ 'a.txt': Buffer.from('héllo\n'), 'b.bin': bin, 'x/y/z.dat': bin }), dir, new Set());
    assert.deepEqual(r, { copied: 3, bytes: 7 + 6 + 6 });
    assert.deepEqual(readFileSync(join(dir, 'b.bin')), bin);
    assert.deepEqual(readFileSync(join(dir, 'x', 'y', 'z.dat')), bin);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'héllo\n');
  });

  it("never overwrites the runner's files: the same bytes are unchanged, other bytes a conflict", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'run.json'), '{"runner": 1}');
    writeFileSync(join(dir, 'config.json'), '{"c": 1}');
    const layout = new RunLayout(dir, 0, 'nb');
    const own = runnerFileNames(layout, { notebook: 'nb.ipynb', html: 'nb.html' });
    const r = await copyBack(fakeFolder({ 'run.json': Buffer.from('{"mine": 1}'), 'config.json': Buffer.from('{"c": 1}'), 'nb.ipynb': Buffer.from('{}'), 'sub/run.json': Buffer.from('ok') }), dir, own);
    assert.deepEqual(r.conflicts, ['nb.ipynb', 'run.json']);
    assert.deepEqual(r.unchanged, ['config.json']);
    assert.equal(readFileSync(join(dir, 'run.json'), 'utf8'), '{"runner": 1}');
    assert.ok(!existsSync(join(dir, 'nb.ipynb')));
    // Only the top level holds the runner's names.
    assert.equal(readFileSync(join(dir, 'sub', 'run.json'), 'utf8'), 'ok');
    assert.equal(r.copied, 1);
  });

  it('a checksum mismatch fails that file only, and nothing is written for it', async () => {
    const dir = tmp();
    const r = await copyBack(fakeFolder({ 'good.txt': Buffer.from('1'), 'bad.txt': Buffer.from('2') }, ['bad.txt']), dir, new Set());
    assert.equal(r.copied, 1);
    assert.equal(r.failed?.length, 1);
    assert.match(r.failed![0]!.error, /checksum mismatch/);
    assert.ok(!existsSync(join(dir, 'bad.txt')));
  });

  it('a local write failure is recorded per file; paths leaving the folder are skipped', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sub'), 'a file');
    const r = await copyBack(fakeFolder({ 'sub/x.txt': Buffer.from('x'), '../evil': Buffer.from('x'), 'ok.txt': Buffer.from('y') }), dir, new Set());
    assert.deepEqual(r.failed?.map((f) => f.path), ['sub/x.txt']);
    assert.deepEqual(r.skipped, [{ path: '../evil', why: 'a path outside the folder' }]);
    assert.equal(r.copied, 1);
    assert.ok(!existsSync(join(dir, '..', 'evil')));
  });

  it('limits: files past maxFiles or over maxBytes are skipped, not copied', async () => {
    const dir = tmp();
    const files = { 'a': Buffer.alloc(10), 'b': Buffer.alloc(10), 'c': Buffer.alloc(1) };
    const r = await copyBack(fakeFolder(files), dir, new Set(), { ...COPY_LIMITS, maxFiles: 2, maxBytes: 15 });
    assert.equal(r.copied, 1);
    assert.deepEqual(r.skipped?.map((s) => s.path).sort(), ['b', 'c']);
  });

  it('safeRelPath', () => {
    for (const p of ['a', 'a/b.txt', '.hidden', 'a/.b']) assert.ok(safeRelPath(p), p);
    for (const p of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a\\b']) assert.ok(!safeRelPath(p), p);
  });
});

describe('RemoteResults', () => {
  const server = (over: Partial<JupyterServer>) => ({ label: 'http://h:1/', isGateway: false, ...over }) as JupyterServer;
  const events: SweepEvent[] = [];
  const emit = (e: SweepEvent) => void events.push(e);

  it('a remote server gets a scratch folder; the embedded server, artifacts none, and non-Python kernels keep --dst_dir', () => {
    const rr = new RemoteResults({}, 'python', emit, 'SWEEP');
    assert.deepEqual(rr.kernelPaths(server({}), 3), { dstDir: 'run-notebook-scratch/SWEEP', configPath: 'run-notebook-scratch/SWEEP/result_3/config.json' });
    assert.equal(rr.kernelPaths(server({ kernelspecDir: '/tmp/k' }), 3), undefined);
    assert.equal(rr.kernelPaths(server({ artifacts: 'none' }), 3), undefined);
    assert.equal(new RemoteResults({ artifacts: 'none' }, 'python', emit).kernelPaths(server({}), 0), undefined);
    // A server's own field wins over the flag.
    assert.equal(new RemoteResults({ artifacts: 'none' }, 'python', emit).mode(server({ artifacts: 'kernel' })), 'kernel');
    assert.equal(new RemoteResults({ remoteDir: '/scratch/me' }, 'python', emit).kernelPaths(server({}), 1)?.configPath, '/scratch/me/result_1/config.json');
    const r = new RemoteResults({}, 'R', emit);
    assert.equal(r.kernelPaths(server({}), 0), undefined);
    r.kernelPaths(server({}), 1);
    assert.equal(events.filter((e) => e.type === 'warning' && /need a Python kernel/.test(e.message)).length, 1, 'warned once');
  });

  it('runnerFileNames names every file the runner writes', () => {
    const names = runnerFileNames(new RunLayout('/d', 0, 'train'), { notebook: 'train.ipynb', html: 'train.html' });
    assert.deepEqual([...names].sort(), ['config.json', 'config.txt', 'log.txt', 'run.json', 'success.txt', 'train.html', 'train.ipynb']);
  });
});



// Fault suite: bad input is refused before anything starts, with exit 2 and one line in
// the project's words that echoes what the user typed; nothing is left on disk or running.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoProcessLeft, errorLines, fixture, runRunner, tempDir } from './support.js';

const T = { timeout: 60_000 };
const nb = fixture('faults', 'work.ipynb');

async function refused(args: string[], line: string | RegExp): Promise<void> {
  const r = await runRunner(['--notebook', nb, ...args]);
  assert.equal(r.code, 2, r.stderr);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  if (typeof line === 'string') assert.equal(lines[0], line);
  else assert.match(lines[0]!, line);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line only:\n${r.stderr}`);
  await assertNoProcessLeft(r.marker, 5000);
}

describe('faults: bad flags', () => {
  for (const v of ['-1', '0', '-0.5', 'abc', '1e999'])
    it(`--cell_timeout ${v} is refused, echoing "${v}"`, T, async () => {
      const dst = join(tempDir(), 'out');
      await refused(['--dst_dir', dst, `--cell_timeout=${v}`], `error: --cell_timeout must be a positive number of seconds, not "${v}"`);
      assert.ok(!existsSync(dst), 'nothing written');
    });

  it('--server_grace 0 is refused', T, async () => {
    await refused(['--dst_dir', join(tempDir(), 'out'), '--server_grace', '0'], 'error: --server_grace must be a positive number of seconds, not "0"');
  });

  it('--start_timeout soon is refused', T, async () => {
    await refused(['--dst_dir', join(tempDir(), 'out'), '--start_timeout', 'soon'], 'error: --start_timeout must be a positive number of seconds, not "soon"');
  });
});

describe('faults: an unusable --dst_dir', () => {
  it('a file', T, async () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'keep me');
    await refused(['--dst_dir', f], `error: --dst_dir ${f} is a file, not a folder`);
  });

  it('under a file', T, async () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'keep me');
    await refused(['--dst_dir', join(f, 'sub', 'out')], `error: --dst_dir ${join(f, 'sub', 'out')} is under ${f}, which is a file, not a folder`);
  });

  it('read-only', T, async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('running as root, which writes through read-only permissions (the read-only tmpfs case covers it)');
      return;
    }
    const d = join(tempDir(), 'ro');
    mkdirSync(d);
    chmodSync(d, 0o555);
    await refused(['--dst_dir', d], /^error: cannot write in --dst_dir .*: permission denied \(EACCES\)$/);
    assert.deepEqual(readdirSync(d), []);
  });
});

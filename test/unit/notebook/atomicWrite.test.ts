import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileWriteError, writeFileAtomic, writeFileAtomicSync } from '../../../src/util/atomicWrite.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'atomic-'));

for (const [label, write] of [
  ['async', writeFileAtomic],
  ['sync', async (p: string, d: string | Uint8Array) => writeFileAtomicSync(p, d)],
] as const) {
  test(`${label}: creates parents, writes, replaces, leaves no temp file`, async () => {
    const dir = fresh();
    const target = path.join(dir, 'a', 'b', 'file.txt');
    await write(target, 'first');
    assert.equal(readFileSync(target, 'utf8'), 'first');
    await write(target, new TextEncoder().encode('second ✓'));
    assert.equal(readFileSync(target, 'utf8'), 'second ✓');
    assert.deepEqual(readdirSync(path.dirname(target)), ['file.txt']);
  });

  test(`${label}: a failed rename names the path and cleans the temp file`, async () => {
    const dir = fresh();
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'x'); // a non-empty directory cannot be replaced
    await assert.rejects(write(target, 'data'), (err: unknown) => {
      assert.ok(err instanceof FileWriteError);
      assert.ok(err.message.startsWith(`cannot write ${target}: `), err.message);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['taken']);
  });

  test(`${label}: a parent that is a file is reported, naming the path`, async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'plain'), 'x');
    const target = path.join(dir, 'plain', 'child.txt');
    await assert.rejects(write(target, 'data'), (err: unknown) => {
      assert.ok(err instanceof FileWriteError);
      assert.match(err.message, new RegExp(`^cannot write ${target}: a parent path (exists and )?is not a directory \\((ENOTDIR|EEXIST)\\)$`));
      return true;
    });
  });
}

test('a full disk is reported in words, with the path', () => {
  const cause = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const err = new FileWriteError('/out/result_0/nb.ipynb', cause);
  assert.equal(err.message, 'cannot write /out/result_0/nb.ipynb: no space left on device (ENOSPC)');
  assert.equal(err.cause, cause);
  assert.equal(err.exitCode, 1);
});

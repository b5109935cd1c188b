import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../../src/sweep/lock.js';
import { UsageError } from '../../../src/errors.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'rn-lock-'));

describe('dst_dir lock', () => {
  it('refuses a second runner while the first holds the lock, and frees it on release', () => {
    const dir = fresh();
    const first = acquireLock(dir, () => assert.fail('no warning expected'));
    assert.throws(() => acquireLock(dir, () => undefined), (e: unknown) => e instanceof UsageError && /in use by another run-notebook \(pid \d+\)/.test(e.message));
    first.release();
    assert.ok(!existsSync(join(dir, '.run-notebook.lock')));
    acquireLock(dir, () => assert.fail('no warning expected')).release();
  });

  it('takes over a lock whose process is gone, with a warning', () => {
    const dir = fresh();
    writeFileSync(join(dir, '.run-notebook.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    const warnings: string[] = [];
    const lock = acquireLock(dir, (m) => warnings.push(m));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /stale lock/);
    lock.release();
  });
});

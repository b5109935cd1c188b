// One runner per dst_dir. The lock file holds the owner's pid; a lock whose pid is
// gone is taken over with a warning, so a crash never blocks the next run. Taking over
// is atomic: under a takeover mutex, "still the same stale lock?" and its removal are
// one step (two runners that both saw it stale used to both take it over).
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { dstDirError, prepareDstDir, removeStaleTemps } from './dstDir.js';
import { SWEEP_FILES } from '../results/layout.js';
import { isAlive } from '../results/runner.js';

export { isAlive };

export interface DirLock {
  release(): void;
}

/** Locks this process holds: released by one 'exit' listener even when the CLI exits at once (a second Ctrl-C). */
const held = new Set<() => void>();
let exitHook = false;
function releaseHeldOnExit(): void {
  for (const release of [...held]) release();
}

const MAX_TRIES = 20;

export function acquireLock(dstDir: string, warn: (msg: string) => void): DirLock {
  prepareDstDir(dstDir);
  const path = join(dstDir, SWEEP_FILES.lock);
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    // Write the owner first, then link it into place: the lock appears with its content
    // at once (link fails with EEXIST), so no reader ever sees an empty lock file.
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw dstDirError(dstDir, err);
    }
    try {
      try {
        linkSync(tmp, path);
      } finally {
        rmSync(tmp, { force: true });
      }
      const lock = held_(path);
      // Temp files of runners killed mid-write (the pid is in their names) go now.
      removeStaleTemps(dstDir, isAlive);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw dstDirError(dstDir, err);
    }
    const seen = readLock(path);
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    if (owner && owner.host === hostname() && isAlive(owner.pid)) {
      throw new UsageError(`${dstDir} is in use by another run-notebook (pid ${owner.pid}); wait for it or pick another --dst_dir`);
    }
    if (owner && owner.host !== hostname()) {
      throw new UsageError(`${dstDir} is locked by run-notebook on host ${owner.host} (pid ${owner.pid}); remove ${path} if that run is gone`);
    }
    if (takeOver(path, seen)) warn(`taking over a stale lock on ${dstDir} (pid ${owner?.pid ?? '?'} is gone)`);
  }
  throw new UsageError(`cannot lock ${dstDir}: other runners keep taking it`);
}

/**
 * Removes the stale lock (whose text was `seen`) under a takeover mutex that every taker
 * must hold, so "still the same stale lock?" and its removal are one step: a runner that
 * read the stale lock earlier can never remove the fresh lock another runner just linked.
 * True when this runner removed it; false when another runner is taking over or took over.
 */
function takeOver(path: string, seen: string): boolean {
  const mutex = `${path}.takeover`;
  try {
    writeFileSync(mutex, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A taker that died holding the mutex must not block everyone after it.
    const holder = Number(readLock(mutex));
    if (holder && !isAlive(holder)) rmSync(mutex, { force: true });
    else pause(10);
    return false;
  }
  try {
    if (readLock(path) !== seen) return false;
    rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(mutex, { force: true });
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function held_(path: string): DirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(release);
    rmSync(path, { force: true });
  };
  held.add(release);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', releaseHeldOnExit);
  }
  return { release };
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(text);
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? hostname()) } : undefined;
  } catch {
    return undefined;
  }
}

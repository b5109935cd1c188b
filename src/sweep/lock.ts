// One runner per dst_dir. The lock file holds the owner's pid; a lock whose pid is
// gone is taken over with a warning, so a crash never blocks the next run.
import { linkSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { SWEEP_FILES } from './layout.js';

export interface DirLock {
  release(): void;
}

/** Locks this process holds: released by one 'exit' listener even when the CLI exits at once (a second Ctrl-C). */
const held = new Set<() => void>();
let exitHook = false;
function releaseHeldOnExit(): void {
  for (const release of [...held]) release();
}

export function acquireLock(dstDir: string, warn: (msg: string) => void): DirLock {
  mkdirSync(dstDir, { recursive: true });
  const path = join(dstDir, SWEEP_FILES.lock);
  for (let attempt = 0; attempt < 2; attempt++) {
    // Write the owner first, then link it into place: the lock appears with its content
    // at once (link fails with EEXIST), so no reader ever sees an empty lock file.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    try {
      try {
        linkSync(tmp, path);
      } finally {
        rmSync(tmp, { force: true });
      }
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
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      if (owner && owner.host === hostname() && isAlive(owner.pid)) {
        throw new UsageError(`${dstDir} is in use by another run-notebook (pid ${owner.pid}); wait for it or pick another --dst_dir`);
      }
      if (owner && owner.host !== hostname()) {
        throw new UsageError(`${dstDir} is locked by run-notebook on host ${owner.host} (pid ${owner.pid}); remove ${path} if that run is gone`);
      }
      warn(`taking over a stale lock on ${dstDir} (pid ${owner?.pid ?? '?'} is gone)`);
      rmSync(path, { force: true });
    }
  }
  throw new UsageError(`cannot lock ${dstDir}`);
}

function readOwner(path: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? hostname()) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

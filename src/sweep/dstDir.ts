// The destination folder: created if missing, and refused in the project's words (exit 2)
// when it is a file, lies under a file, or cannot be written. Stale temp files that
// earlier runners left in it (killed mid-write) are removed once the lock is held.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { describeWriteError, isOwnStaleTemp } from '../util/atomicWrite.js';

export function prepareDstDir(dstDir: string): void {
  if (existsSync(dstDir) && !statSync(dstDir).isDirectory()) throw new UsageError(`--dst_dir ${dstDir} is a file, not a folder`);
  try {
    mkdirSync(dstDir, { recursive: true });
  } catch (err) {
    throw dstDirError(dstDir, err);
  }
}

/** A failure to create or write in dst_dir, as one line. */
export function dstDirError(dstDir: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const file = firstFileAbove(dstDir);
    if (file) return new UsageError(`--dst_dir ${dstDir} is under ${file}, which is a file, not a folder`, { cause: err });
  }
  const reason = code ? describeWriteError(code) : (err as Error).message;
  return new UsageError(`cannot write in --dst_dir ${dstDir}: ${reason}`, { cause: err });
}

function firstFileAbove(p: string): string | undefined {
  const chain: string[] = [];
  for (let d = p; dirname(d) !== d; d = dirname(d)) chain.unshift(d);
  for (const d of chain) {
    try {
      if (!statSync(d).isDirectory()) return d;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Removes temp files of runners that are gone, in dst_dir and its result folders. Returns how many. */
export function removeStaleTemps(dstDir: string, alive: (pid: number) => boolean): number {
  let removed = 0;
  const sweepDir = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const pid = isOwnStaleTemp(name);
      if (pid !== undefined && pid !== process.pid && !alive(pid)) {
        rmSync(join(dir, name), { force: true });
        removed++;
      } else if (/^result_\d+$/.test(name) && dir === dstDir) sweepDir(join(dir, name));
    }
  };
  sweepDir(dstDir);
  return removed;
}

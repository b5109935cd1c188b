// Whether a dst_dir's runner is still there: the dst_dir lock (sweep/lock.ts writes it)
// names its owner's pid and host.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SWEEP_FILES } from './layout.js';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid and host in dst_dir's lock, if it holds one that parses. */
export function lockHolder(dstDir: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dstDir, SWEEP_FILES.lock), 'utf8'));
    return typeof v?.pid === 'number' ? { pid: v.pid, host: String(v.host ?? hostname()) } : undefined;
  } catch {
    return undefined;
  }
}

/** True for the runner that holds dst_dir's lock now (alive, when on this host). */
export function runnerLiveIn(dstDir: string): (pid: number, host: string) => boolean {
  const holder = lockHolder(dstDir);
  return (pid, host) => !!holder && holder.pid === pid && holder.host === host && (host !== hostname() || isAlive(pid));
}

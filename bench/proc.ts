// Process helpers for the bench: timed child processes that are always cleaned up,
// the runner's peak RSS, and one scratch folder that disappears at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const cleanups: (() => void | Promise<void>)[] = [];

export interface Timed {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child itself (VmHWM), in MB, when asked for. */
  peakRssMb?: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Poll /proc/<pid>/status for VmHWM while the child runs. */
  watchRss?: boolean;
  /**
   * Send stdout to this file instead of a pipe (read back afterwards). The CLI ends with
   * process.exit(), which can cut a long piped stdout short; a file is written synchronously.
   */
  stdoutFile?: string;
}

/** Runs a command to completion in its own process group; wall time from spawn to exit. */
export function timed(cmd: string, args: string[], opts: RunOptions = {}): Promise<Timed> {
  return new Promise((res, rej) => {
    const outFd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : undefined;
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, CI: '1', ...opts.env },
      stdio: ['ignore', outFd ?? 'pipe', 'pipe'],
      detached: true,
    });
    if (outFd !== undefined) closeSync(outFd);
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString('utf8')).slice(-200_000);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-20_000);
    });
    let peakKb = 0;
    // VmHWM is the process's own high-water mark, so the last reading before exit is the
    // peak up to then; 50 ms polling misses at most the final 50 ms.
    const poll = opts.watchRss
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKb = Math.max(peakKb, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 50)
      : undefined;
    child.on('error', (err) => {
      if (poll) clearInterval(poll);
      children.delete(child);
      rej(err);
    });
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      children.delete(child);
      const seconds = (performance.now() - t0) / 1000;
      if (opts.stdoutFile) stdout = readFileSync(opts.stdoutFile, 'utf8');
      res({ seconds, code, stdout, stderr, peakRssMb: opts.watchRss ? peakKb / 1024 : undefined });
    });
  });
}

/** Throws with the tail of stderr unless the child exited 0. */
export function check<T extends Timed>(r: T, what: string): T {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stderr.split('\n').slice(-15).join('\n')}`);
  return r;
}

/** One scratch folder for the whole bench, removed on exit. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-notebook-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

/** Stops every child still running (SIGINT first, so the runner stops its server and kernels), then runs cleanups. */
export async function cleanupAll(): Promise<void> {
  const live = [...children];
  for (const c of live) signalGroup(c, 'SIGINT');
  if (live.length) {
    await Promise.race([Promise.all(live.map((c) => new Promise((r) => c.once('close', r)))), new Promise((r) => setTimeout(r, 8000))]);
    for (const c of children) signalGroup(c, 'SIGKILL');
  }
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

function signalGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined || c.exitCode !== null) return;
  try {
    process.kill(-c.pid, sig);
  } catch {
    /* gone */
  }
}

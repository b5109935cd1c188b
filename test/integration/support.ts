// Shared pieces of the integration tests: a real embedded Jupyter server per test
// file, a CLI runner, and a check that no kernel or server process is left behind.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KernelSession, startEmbeddedServer, type JupyterServer } from '../../src/jupyter/index.js';
import { readNotebook } from '../../src/notebook/index.js';
import type { Notebook } from '../../src/notebook/types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (...p: string[]) => join(ROOT, 'fixtures', ...p);

export function tempDir(prefix = 'rn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let serverP: Promise<JupyterServer> | undefined;
export function sharedServer(): Promise<JupyterServer> {
  serverP ??= startEmbeddedServer();
  return serverP;
}
export async function stopSharedServer(): Promise<void> {
  if (serverP) await (await serverP).stop();
  serverP = undefined;
}

export async function withKernel<T>(env: Record<string, string>, fn: (s: KernelSession) => Promise<T>, cwd?: string): Promise<T> {
  const server = await sharedServer();
  const session = await KernelSession.start(server, { env, cwd });
  try {
    return await fn(session);
  } finally {
    await session.shutdown();
  }
}

export async function loadFixture(...p: string[]): Promise<Notebook> {
  return readNotebook(fixture(...p));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source. `tmp` isolates the embedded server's files so leftovers can be found. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; tmp?: string; onStderr?: (s: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((res) => {
    // tsx resolved from the repo, so the CLI also runs from a folder outside it (opts.cwd).
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, CI: '1', ...(opts.tmp ? { TMPDIR: opts.tmp } : {}), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    child.on('exit', (code, signal) => {
      // Let the pipes drain.
      setTimeout(() => res({ code, signal, stdout, stderr }), 20);
    });
  });
}

/** Processes whose command line mentions `marker` (e.g. a private TMPDIR): kernels and servers. */
export function processesMentioning(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'))
    .map((l) => l.trim());
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

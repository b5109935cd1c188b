// The fault suite's shared pieces: a runner started with an environment marker (so its
// server and kernels can be found, and found gone, without matching process names),
// a remote server the runner does not own, and one check of everything left on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { stringify as toYaml } from 'yaml';
import { startEmbeddedServer, type JupyterServer } from '../../src/jupyter/index.js';
import { parseJson } from '../../src/notebook/pyjson.js';
import { notebookSchemaErrors } from '../helpers/nbschema.js';
import { ROOT, fixture, tempDir, type CliResult } from '../integration/support.js';

export { ROOT, fixture, tempDir };
export const MARKER_VAR = 'RUN_NOTEBOOK_TEST_MARKER';

export interface Runner {
  child: ChildProcess;
  marker: string;
  done: Promise<CliResult>;
  stderr(): string;
}

/** Starts the CLI with a fresh marker in its environment; `done` settles when it exits (killed after `limitSec`). */
export function startRunner(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; limitSec?: number } = {}): Runner {
  const marker = `rn-${randomBytes(6).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, CI: '1', [MARKER_VAR]: marker, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const limit = setTimeout(() => child.kill('SIGKILL'), (opts.limitSec ?? 120) * 1000);
  const done = new Promise<CliResult>((res) => {
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      setTimeout(() => res({ code, signal, stdout, stderr }), 20);
    });
  });
  return { child, marker, done, stderr: () => stderr };
}

export async function runRunner(args: string[], opts: Parameters<typeof startRunner>[1] = {}): Promise<CliResult & { marker: string }> {
  const r = startRunner(args, opts);
  return { ...(await r.done), marker: r.marker };
}

/** Pids of live processes whose environment holds the marker (read from /proc, so by environment, not by name). */
export function markedProcesses(marker: string): number[] {
  const needle = Buffer.from(`${MARKER_VAR}=${marker}\0`);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`);
      if (env.includes(needle) && !isZombie(Number(name))) pids.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The embedded server of a runner: its marked child process. */
export function serverPidOf(r: Runner): number | undefined {
  return markedProcesses(r.marker).find((p) => parentOf(p) === r.child.pid);
}

/** Waits (polling) until no marked process is left; fails listing them after `ms`. */
export async function assertNoProcessLeft(marker: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  let left = markedProcesses(marker);
  while (left.length && Date.now() < end) {
    await sleep(200);
    left = markedProcesses(marker);
  }
  const describe = left.map((p) => {
    try {
      return `${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160)}`;
    } catch {
      return String(p);
    }
  });
  assert.deepEqual(describe, [], 'processes of the runner are still alive');
}

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Waits for a file the notebook writes; fails at once (with the runner's stderr) if the runner ends first. */
export async function waitForFile(r: Runner, path: string, ms = 60_000): Promise<void> {
  let exited = false;
  void r.done.then(() => (exited = true));
  await waitFor(() => existsSync(path) || exited, ms, path);
  if (!existsSync(path)) throw new Error(`the runner ended before ${path} appeared:\n${r.stderr()}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sweep file with these configs, in a fresh folder beside a copy of the fault notebook. */
export function sweepWorkspace(configs: Record<string, unknown>[], fixed: Record<string, unknown> = {}): { dir: string; nb: string; sweep: string; dst: string } {
  const dir = tempDir('rn-fault-');
  const nb = join(dir, 'work.ipynb');
  writeFileSync(nb, readFileSync(fixture('faults', 'work.ipynb')));
  const sweep = join(dir, 'sweep.yaml');
  // `n` keeps configs apart: a sweep file refuses duplicates.
  writeFileSync(sweep, toYaml({ configs: configs.map((c, n) => ({ n, ...c })), fixed }));
  return { dir, nb, sweep, dst: join(dir, 'out') };
}

/**
 * Everything under dir is whole: no temp file, every .json and .jsonl line parses,
 * every notebook matches the nbformat schema, every HTML page is complete.
 */
/**
 * `killed`: the pid of a runner killed with SIGKILL, whose atomic writes in flight may have
 * left their temp files (nothing can remove them at that instant; the next run does, and
 * the caller checks that with a plain assertTreeIntact afterwards).
 */
export function assertTreeIntact(dir: string, opts: { killed?: number } = {}): void {
  if (!existsSync(dir)) return;
  const problems: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        walk(p);
        continue;
      }
      if (name.endsWith('.tmp') && !(opts.killed !== undefined && name.includes(`.${opts.killed}.`))) problems.push(`temp file left: ${p}`);
      const text = () => readFileSync(p, 'utf8');
      try {
        if (name.endsWith('.json')) parseJson(text());
        if (name.endsWith('.jsonl')) {
          const t = text();
          if (t && !t.endsWith('\n')) problems.push(`cut line at the end of ${p}`);
          for (const line of t.split('\n').filter(Boolean)) JSON.parse(line);
        }
        if (name.endsWith('.ipynb')) {
          const errs = notebookSchemaErrors(text());
          if (errs.length) problems.push(`${p} fails the nbformat schema: ${errs[0]}`);
        }
        if (name.endsWith('.html') && !/<\/html>\s*$/.test(text())) problems.push(`truncated page: ${p}`);
      } catch (err) {
        problems.push(`${p}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  };
  walk(dir);
  assert.deepEqual(problems, [], `files under ${dir} are not intact`);
}

export interface RunJson {
  status: string;
  error?: string;
  attempts: { status: string; headline?: string }[];
}
export interface SummaryJson {
  runs: { index: number; status: string; this_run: string; error: string | null }[];
}

export const runJson = (dst: string, i: number) => JSON.parse(readFileSync(join(dst, `result_${i}`, 'run.json'), 'utf8')) as RunJson;
export const summaryJson = (dst: string) => JSON.parse(readFileSync(join(dst, 'summary.json'), 'utf8')) as SummaryJson;

/** The lines the runner printed that start with "error:" (the one-line message). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error:'));
}

/** A jupyter_server the runner does not own, as a "remote" server; started with a marker of its own. */
export async function startRemoteServer(): Promise<{ server: JupyterServer; url: string; token: string; marker: string; pid: () => number | undefined }> {
  const marker = `rn-remote-${randomBytes(6).toString('hex')}`;
  const before = process.env[MARKER_VAR];
  process.env[MARKER_VAR] = marker;
  try {
    const server = await startEmbeddedServer({ graceSec: 3600 });
    const pid = () => markedProcesses(marker).find((p) => parentOf(p) === process.pid);
    return { server, url: server.label, token: server.settings.token, marker, pid };
  } finally {
    if (before === undefined) delete process.env[MARKER_VAR];
    else process.env[MARKER_VAR] = before;
  }
}

export async function kernelsOn(server: JupyterServer): Promise<{ id: string; execution_state: string }[]> {
  const res = await fetch(server.settings.baseUrl + 'api/kernels', { headers: { Authorization: `token ${server.settings.token}` }, signal: AbortSignal.timeout(5000) });
  return (await res.json()) as { id: string; execution_state: string }[];
}

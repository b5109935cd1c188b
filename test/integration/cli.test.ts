// The CLI end to end on real servers: exit codes, one-line errors, the result layout,
// a separately started ("remote") server, and no process left behind on SIGINT.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { CodeCell, Notebook, StreamOutput } from '../../src/notebook/types.js';
import { assertValidNotebook } from '../helpers/nbschema.js';
import { ROOT, fixture, processesMentioning, runCli, tempDir, waitFor } from './support.js';

const nbOut = (dst: string, stem: string) => JSON.parse(readFileSync(join(dst, 'result_0', `${stem}.ipynb`), 'utf8')) as Notebook;

describe('run-notebook CLI (single notebook)', () => {
  it('executes once into result_0 and exits 0, leaving no process', async () => {
    const tmp = tempDir('rn-ok-');
    const dst = join(tmp, 'out');
    const r = await runCli(['--notebook', fixture('engine', 'outputs.ipynb'), '--dst_dir', dst, '--no_html'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);
    const text = readFileSync(join(dst, 'result_0', 'outputs.ipynb'), 'utf8');
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^{\n "cells": \[/, 'indent 1, sorted keys');
    assertValidNotebook(JSON.parse(text));
    assert.ok(existsSync(join(dst, 'result_0', 'success.txt')));
  });

  it('exits 1 on a failing notebook and still saves it with a marker, leaving no process', async () => {
    const tmp = tempDir('rn-fail-');
    const dst = join(tmp, 'out');
    const r = await runCli(['--notebook', fixture('engine', 'error.ipynb'), '--dst_dir', dst, '--no_html'], { tmp });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);
    const nb = nbOut(dst, 'error');
    assert.equal(nb.cells[0]!.cell_type, 'markdown');
    assert.ok(!existsSync(join(dst, 'result_0', 'success.txt')));
    assert.match(r.stderr, /ZeroDivisionError: division by zero \(cell 2\)/);
  });

  it('gives one line and exit 2 for a broken notebook, a missing file, an unknown kernel', async () => {
    const dst = tempDir();
    const broken = await runCli(['--notebook', fixture('engine', 'broken.ipynb'), '--dst_dir', dst]);
    assert.equal(broken.code, 2);
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
    assert.match(broken.stderr, /^error: .*broken\.ipynb/);
    const missing = await runCli(['--notebook', fixture('engine', 'nope.ipynb'), '--dst_dir', dst]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: .*nope\.ipynb/);
    const kernel = await runCli(['--notebook', fixture('engine', 'unknown_kernel.ipynb'), '--dst_dir', dst]);
    assert.equal(kernel.code, 2, kernel.stderr);
    assert.match(kernel.stderr, /no kernel named "no-such-kernel".*available kernels: .*python3/);
    assert.equal(kernel.stderr.trim().split('\n').length, 1, kernel.stderr);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const)
  it(`on ${sig} saves the partial notebook, exits 130 and leaves no kernel or server`, async () => {
    const tmp = tempDir('rn-sigint-');
    const dst = join(tmp, 'out');
    let sent = false;
    const r = await runCli(['--notebook', fixture('engine', 'sleep.ipynb'), '--dst_dir', dst, '--no_html', '--log_output'], {
      tmp,
      onStderr: (s, child) => {
        // The first cell has printed: the kernel is in (or about to enter) the sleeping cell,
        // however long its start took on a loaded machine.
        if (!sent && /\[0\] sleeping/.test(s)) {
          sent = true;
          setTimeout(() => child.kill(sig), 500);
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    const run = JSON.parse(readFileSync(join(dst, 'result_0', 'run.json'), 'utf8'));
    assert.equal(run.status, 'interrupted');
    const nb = nbOut(dst, 'sleep');
    const joined = (v: string | string[]) => (Array.isArray(v) ? v.join('') : v);
    const cell = nb.cells.find((c) => joined(c.source).startsWith("print('sleeping'")) as CodeCell;
    assert.equal(joined((cell.outputs[0] as StreamOutput).text), 'sleeping\n');
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

describe('a runner that dies without cleaning up', () => {
  it('leaves no server or kernel behind after SIGKILL (the server watches its parent)', async () => {
    const tmp = tempDir('rn-sigkill-');
    let sent = false;
    const r = await runCli(['--notebook', fixture('engine', 'sleep.ipynb'), '--dst_dir', join(tmp, 'out'), '--no_html'], {
      tmp,
      onStderr: (s, child) => {
        if (!sent && /start 0/.test(s)) {
          sent = true;
          setTimeout(() => child.kill('SIGKILL'), 2500);
        }
      },
    });
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(processesMentioning(tmp).length > 0, 'the server and kernel were running when the runner died');
    await waitFor(() => processesMentioning(tmp).length === 0, 20_000, 'the orphaned server and kernel to exit');
  });
});

describe('run-notebook CLI against a separately started server', () => {
  let server: ChildProcess;
  let url: string;
  const token = 'test-token-' + Math.random().toString(36).slice(2);
  const root = tempDir('rn-remote-');

  before(async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    mkdirSync(join(root, 'runtime'));
    const args = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--ServerApp.root_dir=${root}`, '--ServerApp.base_url=/user/alice/'];
    if (process.getuid?.() === 0) args.push('--allow-root');
    server = spawn(join(ROOT, '.venv', 'bin', 'jupyter-server'), args, {
      env: { ...process.env, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(root, 'runtime') },
      stdio: 'ignore',
      detached: true,
    });
    url = `http://127.0.0.1:${port}/user/alice/`;
    await waitFor(() => readdirSync(join(root, 'runtime')).some((f) => f.startsWith('jpserver-')), 30_000, 'the remote server');
  });
  after(async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
  });

  it('runs through --server_url with a base path; env vars reach the kernel and its subprocesses', async () => {
    const dst = tempDir();
    const r = await runCli(['--notebook', fixture('sweep', 'train.ipynb'), '--config_builder', fixture('sweep', 'ok.yaml'), '--index', '2', '--dst_dir', dst, '--server_url', url, '--token', token, '--no_html']);
    assert.equal(r.code, 0, r.stderr);
    const nb = JSON.parse(readFileSync(join(dst, 'result_2', 'train.ipynb'), 'utf8')) as Notebook;
    const out = nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).filter((o): o is StreamOutput => o.output_type === 'stream');
    const text = out.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');
    assert.match(text, /config 0\.2 1\n/);
    assert.match(text, /sub:2:none\n/);
  });

  it('reads JUPYTER_SERVER_URL / JUPYTER_TOKEN from the environment', async () => {
    const dst = tempDir();
    const r = await runCli(['--notebook', fixture('engine', 'skip.ipynb'), '--dst_dir', dst, '--no_html'], { env: { JUPYTER_SERVER_URL: url, JUPYTER_TOKEN: token } });
    assert.equal(r.code, 0, r.stderr);
  });

  it('a bad token gives one line naming the URL, never the token', async () => {
    const dst = tempDir();
    const secret = 'wrong-secret-token';
    const r = await runCli(['--notebook', fixture('engine', 'skip.ipynb'), '--dst_dir', dst, '--server_url', url, '--token', secret]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /refused the token/);
    assert.ok(r.stderr.includes(url));
    assert.ok(!r.stderr.includes(secret));
  });

  it('an unreachable server gives one line naming the URL', async () => {
    const r = await runCli(['--notebook', fixture('engine', 'skip.ipynb'), '--dst_dir', tempDir(), '--server_url', 'http://127.0.0.1:9/', '--token', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: cannot reach the Jupyter server at http:\/\/127\.0\.0\.1:9\//);
  });
});

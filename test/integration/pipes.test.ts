// A closed console (`run-notebook ... 2>&1 | head -1`): the runner stops writing and finishes
// every run, the summary and the index, exits 0, and leaves no kernel; a dry run whose stdout
// reader quits after one line exits cleanly too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, processesMentioning, readJson, tempDir } from './support.js';

/** Starts the CLI, reads until its first line on `stream`, then closes that stream (and stdout too with `both`). */
function runClosingAfterFirstLine(args: string[], opts: { tmp: string; both: boolean }): Promise<{ code: number | null; firstLine: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: '1', TMPDIR: opts.tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error('the runner did not finish within 240 s'));
    }, 240_000);
    let firstLine = '';
    let stderr = '';
    let buf = '';
    const reader = opts.both ? child.stderr! : child.stdout!;
    reader.on('data', (d) => {
      buf += d;
      if (!firstLine && buf.includes('\n')) {
        firstLine = buf.slice(0, buf.indexOf('\n'));
        // What `head -1` does: read one line, then close the pipe.
        reader.destroy();
        if (opts.both) child.stdout!.destroy();
      }
    });
    if (!opts.both) child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(limit);
      res({ code, firstLine, stderr });
    });
  });
}

describe('a closed output pipe', () => {
  it('does not stop the sweep: every run, the summary and the index are written, exit 0, no kernel left', { timeout: 300_000 }, async () => {
    const dir = tempDir('rn-pipe-');
    const tmp = tempDir('rn-pipe-proc-');
    const nb = join(dir, 'chatty.ipynb');
    const source = "import time\nfrom run_notebook import get_config_from_env, record\nc = get_config_from_env()\nfor i in range(50):\n    print('line', i)\ntime.sleep(0.5)\nrecord('x2', c['x'] * 2)\n";
    writeFileSync(nb, JSON.stringify({ cells: [{ cell_type: 'code', execution_count: null, id: 'a', metadata: {}, outputs: [], source }], metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 }));
    writeFileSync(join(dir, 'four.yaml'), 'grid:\n  x: [1, 2, 3, 4]\n');
    const dst = join(dir, 'out');
    const r = await runClosingAfterFirstLine([nb, '--config_builder', join(dir, 'four.yaml'), '--dst_dir', dst, '--num_threads', '2', '--log_output'], { tmp, both: true });
    assert.match(r.firstLine, /^run-notebook: kernel python3 runs /);
    assert.equal(r.code, 0);
    const summary = readJson<{ runs: { status: string; results: { x2?: number } }[] }>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => [x.status, x.results.x2]), [['success', 2], ['success', 4], ['success', 6], ['success', 8]]);
    assert.ok(existsSync(join(dst, 'index.html')) && existsSync(join(dst, 'result_3', 'chatty.html')));
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('a dry run whose reader quits after one line exits 0 without an EPIPE error', { timeout: 120_000 }, async () => {
    const dir = tempDir('rn-pipe-dry-');
    writeFileSync(join(dir, 'big.yaml'), `grid:\n  a: [${Array.from({ length: 100 }, (_, i) => i).join(', ')}]\n  b: [${Array.from({ length: 50 }, (_, i) => i).join(', ')}]\n`);
    const r = await runClosingAfterFirstLine(['configs', join(ROOT, 'notebooks', 'demo.ipynb'), '--config_builder', join(dir, 'big.yaml')], { tmp: dir, both: false });
    assert.match(r.firstLine, /^index {2}state {2}name$/);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });
});

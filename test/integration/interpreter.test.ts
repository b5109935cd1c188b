// The kernel runs in the user's environment: an activated venv with a module only it
// has runs with no flags, --python picks an interpreter, an interpreter without
// ipykernel is exit 2 with one line, a registered kernel keeps its own interpreter, and
// with nothing usable on PATH the project's .venv is used with one line saying why.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook, StreamOutput } from '../../src/notebook/types.js';
import { envWithoutInterpreters, makeVenv, PROJECT_PYTHON, type TestVenv } from '../helpers/venvs.js';
import { processesMentioning, readJson, runCli, tempDir } from './support.js';

function notebook(kernelName: string): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'code', execution_count: null, id: 'c1', metadata: { tags: ['parameters'] }, outputs: [], source: 'where = None' },
      {
        cell_type: 'code',
        execution_count: null,
        id: 'c2',
        metadata: {},
        outputs: [],
        source: 'import sys, only_in_testenv\nprint(only_in_testenv.WHERE, sys.executable)',
      },
    ],
    metadata: { kernelspec: { name: kernelName, display_name: 'stale', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

const stdoutOf = (nb: Notebook) =>
  nb.cells
    .flatMap((c) => (c.cell_type === 'code' ? c.outputs : []))
    .filter((o): o is StreamOutput => o.output_type === 'stream')
    .map((o) => o.text)
    .join('');

describe('the kernel runs in the user environment', () => {
  let tmp: string;
  let good: TestVenv;
  let bare: TestVenv;
  let nbPath: string;

  before(() => {
    tmp = tempDir('rn-interp-');
    good = makeVenv(join(tmp, 'good-env'), { ipykernel: true, modules: { only_in_testenv: "WHERE = 'good-env'\n" } });
    bare = makeVenv(join(tmp, 'bare-env'), { ipykernel: false, modules: { only_in_testenv: "WHERE = 'bare-env'\n" } });
    const work = join(tmp, 'project');
    mkdirSync(work);
    nbPath = join(work, 'where.ipynb');
    writeFileSync(nbPath, notebook('python3'));
    // A Python builder that only works where only_in_testenv exists: the builder runs in the same env.
    writeFileSync(join(work, 'configs.py'), 'import only_in_testenv\ndef build():\n    return [{"where": only_in_testenv.WHERE, "i": i} for i in range(2)]\n');
  });

  it('an activated venv runs with no flags: kernel, builder, console, sweep.json, run.json, HTML, notebook metadata', async () => {
    const dst = join(tmp, 'out-activated');
    const r = await runCli(['--notebook', nbPath, '--config_builder', 'build()', '--dst_dir', dst], {
      tmp,
      env: envWithoutInterpreters({ VIRTUAL_ENV: good.dir, PATH: `${good.bin}:${process.env.PATH}` }),
    });
    assert.equal(r.code, 0, r.stderr);
    const first = r.stderr.split('\n')[0]!;
    assert.match(first, /^run-notebook: kernel python3 runs Python 3\.\d+\.\d+ \S*good-env\/bin\/python \(activated: \$VIRTUAL_ENV\)$/);
    const sweep = readJson<{ interpreter: { path: string; source: string } }>(join(dst, 'sweep.json'));
    assert.equal(sweep.interpreter.source, 'VIRTUAL_ENV');
    assert.equal(sweep.interpreter.path, good.python);
    for (const i of [0, 1]) {
      const run = readJson<{ python: string; kernel: string }>(join(dst, `result_${i}`, 'run.json'));
      assert.equal(run.python, good.python);
      assert.equal(run.kernel, 'python3');
      const nb = JSON.parse(readFileSync(join(dst, `result_${i}`, 'where.ipynb'), 'utf8')) as Notebook;
      assert.equal(stdoutOf(nb), `good-env ${good.python}\n`);
      assert.equal(nb.metadata.kernelspec?.name, 'python3');
      assert.notEqual(nb.metadata.kernelspec?.display_name, 'stale');
      assert.equal((nb.metadata.run_notebook as { python?: string }).python, good.python);
      const html = readFileSync(join(dst, `result_${i}`, 'where.html'), 'utf8');
      assert.ok(html.includes(good.python), 'the HTML run header names the interpreter');
    }
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('--python picks the interpreter, and the saved kernelspec is the kernel that ran, not the stale name', async () => {
    const stale = join(tmp, 'project', 'stale.ipynb');
    writeFileSync(stale, notebook('old-kernel-that-is-gone'));
    const dst = join(tmp, 'out-flag');
    const r = await runCli(['--notebook', stale, '--dst_dir', dst, '--python', good.python, '--kernel', 'python3', '--no_html'], {
      tmp,
      env: envWithoutInterpreters({ VIRTUAL_ENV: bare.dir }), // the flag wins over an activated env
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /good-env\/bin\/python \(--python\)$/);
    const nb = JSON.parse(readFileSync(join(dst, 'result_0', 'stale.ipynb'), 'utf8')) as Notebook;
    assert.equal(stdoutOf(nb), `good-env ${good.python}\n`);
    assert.equal(nb.metadata.kernelspec?.name, 'python3');
  });

  it('an interpreter without ipykernel is exit 2 with one line naming it and the fix', async () => {
    for (const env of [envWithoutInterpreters({ VIRTUAL_ENV: bare.dir }), envWithoutInterpreters({ CONDA_PREFIX: bare.dir }), envWithoutInterpreters({ RUN_NOTEBOOK_PYTHON: bare.python })]) {
      const r = await runCli(['--notebook', nbPath, '--dst_dir', join(tmp, 'out-bare')], { tmp, env });
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^error: .*bare-env\/bin\/python cannot import ipykernel; install it with `\S*bare-env\/bin\/python -m pip install ipykernel`/);
    }
    const missing = await runCli(['--notebook', nbPath, '--dst_dir', join(tmp, 'out-bare'), '--python', join(tmp, 'no-such-python')], { tmp, env: envWithoutInterpreters() });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr.trim(), /^error: --python \S+no-such-python: \S+ not found$/);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('a registered kernel keeps its own interpreter, even with an env without ipykernel activated', async () => {
    const share = join(tmp, 'jupyter-share');
    mkdirSync(join(share, 'kernels', 'good-kernel'), { recursive: true });
    writeFileSync(
      join(share, 'kernels', 'good-kernel', 'kernel.json'),
      JSON.stringify({ argv: [good.python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Good env', language: 'python' }),
    );
    const dst = join(tmp, 'out-registered');
    const r = await runCli(['--notebook', nbPath, '--dst_dir', dst, '--kernel', 'good-kernel', '--no_html'], {
      tmp,
      env: envWithoutInterpreters({ VIRTUAL_ENV: bare.dir, JUPYTER_PATH: share }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /^run-notebook: kernel good-kernel runs \S*good-env\/bin\/python \(its own kernelspec\)$/);
    const nb = JSON.parse(readFileSync(join(dst, 'result_0', 'where.ipynb'), 'utf8')) as Notebook;
    assert.equal(stdoutOf(nb), `good-env ${good.python}\n`);
    assert.deepEqual(nb.metadata.kernelspec, { name: 'good-kernel', display_name: 'Good env', language: 'python' });
  });

  it('with no env and no python3 with ipykernel on PATH, the project .venv runs it, with one line saying why', async () => {
    const plain = join(tmp, 'project', 'plain.ipynb');
    writeFileSync(
      plain,
      JSON.stringify({
        cells: [{ cell_type: 'code', execution_count: null, id: 'c1', metadata: {}, outputs: [], source: 'import sys; print(sys.prefix)' }],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const dst = join(tmp, 'out-fallback');
    const r = await runCli(['--notebook', plain, '--dst_dir', dst, '--no_html'], { tmp, env: envWithoutInterpreters({ PATH: `${bare.bin}:${process.env.PATH}` }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, /^run-notebook: kernel python3 runs Python \S+ \S+ \(the project's \.venv, since python3 on PATH \(\S*bare-env\/bin\/python3?\) has no ipykernel\)$/);
    const run = readJson<{ python: string }>(join(dst, 'result_0', 'run.json'));
    const venvExecutable = execFileSync(PROJECT_PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    assert.equal(run.python, venvExecutable);
  });
});

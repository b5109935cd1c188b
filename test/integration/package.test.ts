// The npm package works when installed: `npm pack` in a copy of the checkout (prepare builds
// dist/), the tarball installed into an empty folder outside the repo (its dependencies from
// npm's cache, else the registry; no dev dependencies), then the installed bin runs --help,
// --version and a real 2-config sweep with jupyter-server from the active environment.
// The copy keeps the checkout's own dist/ untouched while other tests use it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, processesMentioning, readJson, tempDir } from './support.js';

const run = promisify(execFile);
const VERSION = (readJson<{ version: string }>(join(ROOT, 'package.json'))).version;
/** What `npm pack` needs from a clean clone: the sources, the build config and the shipped files. */
const PACKED_FROM = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'src', 'python', 'scripts/build.mjs'];

describe('the npm package, installed from its tarball', () => {
  let tmp: string;
  let app: string;
  let bin: string;
  /** Why the package could not be installed here (the tests then skip with this line). */
  let cannot: string | undefined;

  before(async () => {
    tmp = tempDir('rn-pack-');
    const src = join(tmp, 'checkout');
    for (const p of PACKED_FROM) cpSync(join(ROOT, p), join(src, p), { recursive: true, filter: (f) => !f.includes('__pycache__') && !f.endsWith('.stamp') });
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: src, timeout: 300_000, maxBuffer: 1 << 24 });
    const tarball = join(tmp, stdout.trim().split('\n').at(-1)!);
    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name": "app", "private": true}\n');
    try {
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app, timeout: 300_000 });
    } catch (err) {
      cannot = `npm could not install the tarball here (${String((err as Error).message).split('\n')[0]})`;
    }
    bin = join(app, 'node_modules', '.bin', 'run-notebook');
    writeFileSync(join(app, 'two.yaml'), 'grid:\n  x: [1, 2]\n');
    const cell = "from run_notebook import get_config_from_env, record\nc = get_config_from_env()\nprint('x', c['x'])\nrecord('y', c['x'] * 2)\n";
    writeFileSync(
      join(app, 'two.ipynb'),
      JSON.stringify({
        cells: [{ cell_type: 'code', execution_count: null, id: 'a', metadata: {}, outputs: [], source: cell }],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships dist/ and the Python helper, and installs no dev dependency', (t) => {
    if (cannot) return t.skip(cannot);
    const pkg = join(app, 'node_modules', 'run-notebook');
    for (const f of ['dist/cli/main.js', 'python/run_notebook/__init__.py', 'python/run_notebook/experiment.py', 'python/warm/template.py', 'python/pyproject.toml']) {
      assert.ok(existsSync(join(pkg, f)), `${f} is in the package`);
    }
    assert.ok(!existsSync(join(pkg, 'src')) && !existsSync(join(pkg, 'test')), 'sources and tests stay out');
    const installed = readdirSync(join(app, 'node_modules'));
    for (const dev of ['tsx', 'typescript', 'playwright-core']) assert.ok(!installed.includes(dev), `${dev} is not installed`);
  });

  it('runs --help and --version from the installed bin', async (t) => {
    if (cannot) return t.skip(cannot);
    const help = await run(bin, ['--help'], { cwd: app, timeout: 60_000 });
    assert.match(help.stdout, /--config_builder/);
    const version = await run(bin, ['--version'], { cwd: app, timeout: 60_000 });
    assert.equal(version.stdout.trim(), VERSION);
  });

  it('runs a 2-config sweep on a real kernel, with jupyter-server from the active environment', { timeout: 240_000 }, async (t) => {
    if (cannot) return t.skip(cannot);
    const marker = join(tmp, 'proc');
    mkdirSync(marker);
    const venv = join(ROOT, '.venv');
    const env = { ...process.env, CI: '1', TMPDIR: marker, VIRTUAL_ENV: venv, PATH: `${join(venv, 'bin')}:${process.env.PATH}`, CONDA_PREFIX: '', RUN_NOTEBOOK_PYTHON: '', RUN_NOTEBOOK_JUPYTER_SERVER: '' };
    const r = await run(bin, ['two.ipynb', '--config_builder', 'two.yaml', '--dst_dir', 'out'], { cwd: app, env, timeout: 180_000 });
    assert.match(r.stderr, /2 succeeded, 0 failed/);
    const summary = readFileSync(join(app, 'out', 'summary.csv'), 'utf8').trim().split('\n');
    const y = summary[0]!.split(',').indexOf('y');
    assert.deepEqual(summary.slice(1).map((l) => l.split(',')[y]), ['2', '4']);
    assert.ok(existsSync(join(app, 'out', 'result_1', 'two.html')) && existsSync(join(app, 'out', 'index.html')));
    assert.deepEqual(processesMentioning(marker), []);
  });

  it('without a Jupyter server says what to install where, not a script the package does not ship', async (t) => {
    if (cannot) return t.skip(cannot);
    const env = { ...process.env, CI: '1', PATH: '/usr/bin:/bin', VIRTUAL_ENV: '', CONDA_PREFIX: '', RUN_NOTEBOOK_PYTHON: '', RUN_NOTEBOOK_JUPYTER_SERVER: '' };
    const r = await run(process.execPath, [join(app, 'node_modules', 'run-notebook', 'bin', 'run-notebook.js'), 'two.ipynb', '--dst_dir', 'none'], { cwd: app, env, timeout: 60_000 }).then(
      () => assert.fail('a sweep without a Jupyter server should fail'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: no Jupyter server found: install one into the active environment with `pip install jupyter_server ipykernel`/);
    assert.doesNotMatch(r.stderr, /setup\.sh/);
  });
});

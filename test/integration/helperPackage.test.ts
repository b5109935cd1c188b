// `pip install ./python` installs run_notebook: outside a run it behaves as documented
// (no config, records kept in memory and silent, no result dir), and a notebook run with
// it installed uses the run's own injected copy without conflict.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook, StreamOutput } from '../../src/notebook/types.js';
import { envWithoutInterpreters, makeVenv, PROJECT_PYTHON, type TestVenv } from '../helpers/venvs.js';
import { ROOT, processesMentioning, readJson, runCli, tempDir } from './support.js';

describe('the Python helper as an installed package', () => {
  let tmp: string;
  let venv: TestVenv;
  let installed: string | undefined;

  before(() => {
    tmp = tempDir('rn-helper-pkg-');
    venv = makeVenv(join(tmp, 'env'), { ipykernel: true });
    // The project's pip installs into the venv (no ensurepip: faster); the build backend comes from the index or pip's cache.
    const r = spawnSync(PROJECT_PYTHON, ['-m', 'pip', '--python', venv.python, 'install', '--quiet', join(ROOT, 'python')], { encoding: 'utf8', timeout: 240_000 });
    installed = r.status === 0 ? undefined : (r.stderr || r.error?.message || 'pip failed').trim().split('\n').at(-1);
  });

  it('outside a run: get_config_from_env() is None, record() is silent and kept, get_result_dir() is None', (t) => {
    if (installed) return t.skip(`pip install ./python failed here: ${installed}`);
    const out = execFileSync(
      venv.python,
      ['-c', 'import json, run_notebook as rn, importlib.metadata as m\nfrom run_notebook import get_config_from_env, record, get_result_dir\nr = record("acc", 0.5)\nprint(json.dumps([get_config_from_env(), get_result_dir(), r, rn.records(), m.version("run_notebook"), rn.__file__.startswith(' + JSON.stringify(venv.dir) + ')]))'],
      { encoding: 'utf8', cwd: tmp, env: { ...process.env, ...Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('__')).map((k) => [k, ''])) } },
    );
    assert.deepEqual(JSON.parse(out.trim()), [null, null, null, [{ name: 'acc', value: 0.5 }], '0.1.0', true]);
  });

  it('inside a run the injected copy wins and record() still reaches the summary', async (t) => {
    if (installed) return t.skip(`pip install ./python failed here: ${installed}`);
    const nb = join(tmp, 'uses_helper.ipynb');
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [{ cell_type: 'code', execution_count: null, id: 'c', metadata: {}, outputs: [], source: 'import run_notebook, importlib.metadata as m\nprint(run_notebook.__file__, m.version("run_notebook"))\nrun_notebook.record("answer", 42)' }],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const dst = join(tmp, 'out');
    const r = await runCli(['--notebook', nb, '--dst_dir', dst, '--python', venv.python, '--no_html'], { tmp, env: envWithoutInterpreters() });
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(readFileSync(join(dst, 'result_0', 'uses_helper.ipynb'), 'utf8')) as Notebook;
    const text = saved.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).filter((o): o is StreamOutput => o.output_type === 'stream').map((o) => o.text).join('');
    assert.equal(text, '<run_notebook> 0.1.0\n', 'the run defines its own module; the installed one is present but not imported');
    assert.deepEqual(readJson<{ results: unknown }>(join(dst, 'result_0', 'run.json')).results, { answer: 42 });
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

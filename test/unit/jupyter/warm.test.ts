import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pythonKernelPlan, kernelArgvPython } from '../../../src/jupyter/warm/index.js';
import { WarmUnavailable } from '../../../src/jupyter/warm/template.js';
import { toSweepOptions } from '../../../src/cli/runOptions.js';

const spec = (argv: string[], language = 'python') => ({ name: 'k', language, argv });

describe('--warm: which kernels fork', () => {
  it('takes the interpreter and its options from the kernelspec argv', () => {
    assert.deepEqual(pythonKernelPlan(spec(['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'])), { argv0: 'python', options: [] });
    assert.deepEqual(pythonKernelPlan(spec(['/opt/env/bin/python3', '-Xfrozen_modules=off', '-m', 'ipykernel', '-f', '{connection_file}'])), {
      argv0: '/opt/env/bin/python3',
      options: ['-Xfrozen_modules=off'],
    });
  });

  it('refuses other languages and other kernel programs with a reason', () => {
    assert.throws(() => pythonKernelPlan(spec(['R', '--slave', '-e', 'IRkernel::main()'], 'R')), (e: Error) => e instanceof WarmUnavailable && /is R, and only Python kernels fork/.test(e.message));
    assert.throws(() => pythonKernelPlan(spec(['python', '-m', 'xeus_python'])), /does not run ipykernel/);
    assert.throws(() => pythonKernelPlan(spec(['python', 'script.py'])), /does not run ipykernel/);
  });

  it("resolves a bare python as jupyter_client does: the server's own interpreter", () => {
    assert.equal(kernelArgvPython('/abs/python', { python: '/srv/python' }), '/abs/python');
    assert.equal(kernelArgvPython('python3', { python: '/srv/python' }), '/srv/python');
    assert.equal(kernelArgvPython('python3.11', { python: '/srv/python' }), '/srv/python');
    assert.equal(kernelArgvPython('sh', {}).endsWith('/sh'), true);
    assert.throws(() => kernelArgvPython('no-such-interpreter-xyz', {}), /cannot find the kernel's interpreter/);
  });
});

describe('--warm flags', () => {
  const base = { notebook: 'x.ipynb', dst_dir: 'out', _: [] };
  it('parses --warm_imports: names, none, or the notebook default', () => {
    assert.deepEqual(toSweepOptions({ ...base, warm: true }).warmImports, undefined);
    assert.deepEqual(toSweepOptions({ ...base, warm: true, warm_imports: 'numpy, pandas,sklearn.linear_model' }).warmImports, ['numpy', 'pandas', 'sklearn.linear_model']);
    assert.deepEqual(toSweepOptions({ ...base, warm: true, warm_imports: 'none' }).warmImports, []);
    assert.equal(toSweepOptions(base).warm, false);
  });

  it('rejects --warm_imports without --warm, and names that are not modules', () => {
    assert.throws(() => toSweepOptions({ ...base, warm_imports: 'numpy' }), /--warm_imports needs --warm/);
    assert.throws(() => toSweepOptions({ ...base, warm: true, warm_imports: 'numpy; rm -rf /' }), /--warm_imports takes module names/);
  });
});

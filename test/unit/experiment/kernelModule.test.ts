// The kernel side of experiments (python/run_notebook/experiment.py), run in a plain
// Python process with the helper and the module defined from their source text, the
// way a kernel gets them. The same code runs on a real server in the integration tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperSourcePath } from '../../../src/config/index.js';
import { ExperimentBuilderError, experimentCheckCode, experimentFingerprintPart, infoFromCheckOutput, type ExperimentInfo } from '../../../src/experiment/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PYTHON = join(root, '.venv', 'bin', 'python');
const FIX = join(root, 'fixtures', 'experiments');

const PRELUDE = `
import sys, types, os, json
_src = open(os.environ["RN_HELPER"], encoding="utf-8").read()
_m = types.ModuleType("run_notebook")
_m.__file__ = "<run_notebook>"
exec(compile(_src, "<run_notebook>", "exec"), _m.__dict__)
sys.modules["run_notebook"] = _m
`;

function runPy(code: string, env: Record<string, string> = {}, cwd = FIX) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('__') && k !== 'PYTHONPATH'));
  const r = spawnSync(PYTHON, ['-c', PRELUDE + code], { cwd, env: { ...base, RN_HELPER: helperSourcePath(), ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(target: string, builder = 'exp_configs.build()', dir = FIX): ExperimentInfo {
  const r = runPy(experimentCheckCode(target, builder, dir), {}, dir);
  assert.equal(r.status, 0, r.stderr);
  return infoFromCheckOutput(r.stdout, target);
}

function checkError(target: string, dir = FIX): ExperimentBuilderError {
  try {
    check(target, 'exp_configs.build()', dir);
  } catch (err) {
    assert.ok(err instanceof ExperimentBuilderError, String(err));
    return err;
  }
  assert.fail(`check of ${target} did not fail`);
}

test('the check finds the function, its signature and the source digests of its module and the builder', () => {
  const info = check('trainer.run');
  assert.equal(info.function, 'run');
  assert.equal(info.signature, '(config)');
  assert.deepEqual(
    info.modules.map((m) => [m.name, m.file]),
    [['trainer', join(FIX, 'trainer.py')]],
  );
  assert.match(info.modules[0]!.sha256!, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    info.builder_modules.map((m) => m.name),
    ['exp_configs'],
  );
});

test('an edit of the module changes the fingerprint part; the same source gives the same part', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  writeFileSync(join(dir, 'm.py'), 'def f(c):\n    return 1\n');
  writeFileSync(join(dir, 'configs.py'), 'def build():\n    return [1, 2]\n');
  const a = experimentFingerprintPart(check('m.f', 'build()', dir));
  assert.equal(experimentFingerprintPart(check('m.f', 'build()', dir)), a);
  writeFileSync(join(dir, 'm.py'), 'def f(c):\n    return 2\n');
  const b = experimentFingerprintPart(check('m.f', 'build()', dir));
  assert.notEqual(b, a);
  // configs.py beside the builder counts for a bare builder name
  writeFileSync(join(dir, 'configs.py'), 'def build():\n    return [1, 2, 3]\n');
  assert.notEqual(experimentFingerprintPart(check('m.f', 'build()', dir)), b);
});

test('local modules the experiment imports join the fingerprint; installed and unimported ones do not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', '__init__.py'), '');
  writeFileSync(join(dir, 'lib', 'helper.py'), 'SCALE = 2\n');
  writeFileSync(join(dir, 'notes.py'), 'X = 1\n');
  writeFileSync(join(dir, 'm.py'), 'import json, ipykernel\nfrom lib.helper import SCALE\ndef f(c):\n    return SCALE\n');
  writeFileSync(join(dir, 'configs.py'), 'def build():\n    return [1]\n');
  const info = check('m.f', 'build()', dir);
  // the experiment module and configs.py are listed once, as such; json and ipykernel are not the user's
  assert.deepEqual(info.local_modules!.map((m) => [m.name, m.file]), [['lib', join(dir, 'lib', '__init__.py')], ['lib.helper', join(dir, 'lib', 'helper.py')]]);
  const a = experimentFingerprintPart(info);
  assert.match(a, /^local:lib\.helper:[0-9a-f]{64}$/m);
  writeFileSync(join(dir, 'notes.py'), 'X = 2\n');
  assert.equal(experimentFingerprintPart(check('m.f', 'build()', dir)), a, 'a module nobody imports does not count');
  writeFileSync(join(dir, 'lib', 'helper.py'), 'SCALE = 3\n');
  assert.notEqual(experimentFingerprintPart(check('m.f', 'build()', dir)), a, 'an edit of an imported helper does');
});

test('a function of a package submodule is found without the package importing it; a method too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  mkdirSync(join(dir, 'pkg', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'pkg', '__init__.py'), '');
  writeFileSync(join(dir, 'pkg', 'sub', '__init__.py'), '');
  writeFileSync(join(dir, 'pkg', 'sub', 'exp.py'), 'class E:\n    @staticmethod\n    def go(config, verbose=False):\n        return config\n');
  assert.equal(check('pkg.sub.exp.E.go', '', dir).function, 'E.go');
});

test('missing modules, missing functions, bad signatures and broken imports are one-line errors', () => {
  assert.match(checkError('nosuchmodule.run').message, /^experiment builder "nosuchmodule\.run": no module named nosuchmodule \(looked in .*PYTHONPATH/);
  assert.equal(checkError('trainer.nope').message, 'experiment builder "trainer.nope": trainer has no attribute nope');
  assert.equal(checkError('trainer.NOT_A_FUNCTION').message, 'experiment builder "trainer.NOT_A_FUNCTION" is a int, not a function');
  assert.equal(checkError('trainer.no_config').message, 'experiment builder "trainer.no_config" cannot take a config: its signature is (); it must accept one positional argument');
  assert.match(checkError('run').message, /must be MODULE\.FUNCTION/);
  const broken = checkError('broken_import.run');
  assert.match(broken.message, /^experiment builder "broken_import\.run": importing broken_import raised ModuleNotFoundError: No module named 'this_module_does_not_exist_anywhere'$/);
  assert.match(broken.detail ?? '', /broken_import\.py", line 1/);
  assert.ok(!broken.message.includes('\n'));
});

const RUN = (target: string) => `
exp = types.ModuleType("run_notebook.experiment")
exec(compile(open(${JSON.stringify(join(root, 'python', 'run_notebook', 'experiment.py'))}).read(), "<run_notebook.experiment>", "exec"), exp.__dict__)
try:
    exp.run(${JSON.stringify(target)}, os.getcwd())
except Exception as e:
    print("RAISED", type(e).__name__, e)
print("RECORDS", json.dumps(_m.records()))
`;

function runEnv(dst: string, index: number, builder = 'exp_configs.build()') {
  mkdirSync(join(dst, `result_${index}`), { recursive: true });
  return { __CONFIG_BUILDER__: builder, __CONFIG_IDX__: String(index), __CONFIG_DST_DIR__: dst, __NOTEBOOK_CONFIG_PATH__: join(dst, `result_${index}`, 'config.json'), __CONFIG_BUILDER_DIR__: FIX };
}

test('a run rebuilds its config with its lambdas, records a returned dict and what record() got', () => {
  const dst = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  const r = runPy(RUN('trainer.run'), runEnv(dst, 1));
  assert.match(r.stdout, /training lr=0\.1 seed=2/);
  const records = JSON.parse(r.stdout.split('RECORDS ')[1]!) as { name: string; value: unknown }[];
  assert.deepEqual(Object.fromEntries(records.map((x) => [x.name, x.value])), { recorded_inside: 20, loss: 6, accuracy: 1 / 7, curve: [6, 3] });
});

test('a returned mapping with a value that is not JSON-able is stored as its repr', () => {
  const dst = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  const r = runPy(RUN('trainer.returns_object'), runEnv(dst, 0));
  const records = JSON.parse(r.stdout.split('RECORDS ')[1]!) as { name: string; value: unknown }[];
  assert.deepEqual(records, [{ name: 'return_value', value: "{'fn': <lambda x: x>, 'seed': 1}" }]);
  assert.match(r.stderr, /the returned value of 'fn' is not JSON-able/);
});

test('an exception in the function propagates; a non-deterministic builder fails the run', () => {
  const dst = mkdtempSync(join(tmpdir(), 'rn-exp-unit-'));
  const r = runPy(RUN('trainer.run'), runEnv(dst, 2, 'exp_configs.build(fail_seed=3)'));
  assert.match(r.stdout, /RAISED ValueError config with seed 3 fails on purpose/);
  const env = runEnv(dst, 0, 'exp_configs.build_random()');
  writeFileSync(join(dst, 'result_0', 'config.json'), JSON.stringify({ index: 0, name: 'x', json: { lr: 5, seed: 1 }, repr: "{'lr': 5, 'seed': 1}" }));
  const nd = runPy(RUN('trainer.run'), env);
  assert.match(nd.stdout, /RAISED RuntimeError config builder is not deterministic: config 0 differs from the planned one \(lr: planned 5/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigBuilderError,
  PLAN_PREFIX,
  buildPlan,
  builderErrorFromKernel,
  builderKind,
  configAt,
  configEnv,
  configFileContent,
  configFingerprintPart,
  configTextContent,
  helperSourcePath,
  noBuilderPlan,
  planFromPythonOutput,
  pythonPlanCode,
} from '../../../src/config/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIX = join(root, 'fixtures', 'config');
const PYTHON = join(root, '.venv', 'bin', 'python');

/** A stand-in for the engine: define the helper from its source, run the code, return stdout. */
async function runPython(code: string): Promise<string> {
  const prelude = [
    'import sys, types',
    `_src = open(${JSON.stringify(helperSourcePath())}, encoding="utf-8").read()`,
    '_m = types.ModuleType("run_notebook")',
    'exec(compile(_src, "<run_notebook>", "exec"), _m.__dict__)',
    'sys.modules["run_notebook"] = _m',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', `${prelude}\n${code}`], { cwd: FIX, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

test('builderKind: sweep files by suffix without parentheses, else Python, empty is none', () => {
  assert.equal(builderKind('sweeps/grid.yaml'), 'sweep-file');
  assert.equal(builderKind(' S.YML '), 'sweep-file');
  assert.equal(builderKind('x.json'), 'sweep-file');
  assert.equal(builderKind('load("x.json")'), 'python');
  assert.equal(builderKind('build()'), 'python');
  assert.equal(builderKind('pkg.CONFIGS'), 'python');
  assert.equal(builderKind(''), 'none');
  assert.equal(builderKind(undefined), 'none');
});

test('buildPlan: a sweep file relative to cwd, a Python builder through runPython, no builder', async () => {
  const sweep = await buildPlan('sweeps/grid.yaml', { builderDir: FIX, cwd: FIX });
  assert.equal(sweep.builder, join(FIX, 'sweeps/grid.yaml'), 'the resolved path, so fingerprints do not depend on the working directory');
  assert.equal(sweep.configs.length, 6);

  const py = await buildPlan('build(2)', { builderDir: FIX, runPython });
  assert.equal(py.kind, 'python');
  assert.equal(py.builder, 'build(2)');
  assert.deepEqual(py.configs.map((c) => c.name), ['lr=0.1', 'lr=0.01']);

  assert.deepEqual(await buildPlan(undefined, { builderDir: FIX }), noBuilderPlan());
  await assert.rejects(buildPlan('build()', { builderDir: FIX, runPython, title: 'x' }), {
    name: 'ConfigBuilderError',
    message: '--title selects groups of a sweep file (.yaml, .yml, .json), but the builder is not one',
  });
});

test('pythonPlanCode passes any expression text through unchanged', async () => {
  const expr = `[{"s": "it's \\"q\\" \u00e9 \u2028 \\\\n"}]`;
  const plan = planFromPythonOutput(await runPython(pythonPlanCode(expr, FIX)), expr);
  assert.deepEqual(plan.configs[0]!.json, { s: `it's "q" \u00e9 \u2028 \\n` });
});

test('planFromPythonOutput: the last prefixed line wins; errors keep their kind and traceback', () => {
  const ok = `noise\n${PLAN_PREFIX}{"configs":[{"json":null,"repr":"1","name_hint":null}]}\n`;
  assert.deepEqual(planFromPythonOutput(ok, 'f()').configs, [{ index: 0, json: null, repr: '1', name: 'config_0', params: {} }]);
  const err = `${PLAN_PREFIX}${JSON.stringify({ error: { kind: 'duplicates', message: 'dups at [0, 1]', detail: null } })}`;
  assert.throws(() => planFromPythonOutput(err, 'f()'), (e: unknown) => {
    assert.ok(e instanceof ConfigBuilderError);
    assert.equal(e.kind, 'duplicates');
    assert.equal(e.message, 'dups at [0, 1]');
    assert.equal(e.detail, undefined);
    return true;
  });
  assert.throws(() => planFromPythonOutput('Traceback...\nNameError', 'f()'), {
    message: 'config builder "f()": the kernel printed no plan',
  });
  assert.throws(() => planFromPythonOutput(`${PLAN_PREFIX}{"configs": 3}`, 'f()'), /printed a malformed plan/);
});

test('builderErrorFromKernel strips ANSI colors', () => {
  const e = builderErrorFromKernel('build()', 'ModuleNotFoundError', "No module named 'run_notebook'", ['\x1b[0;31mTrace\x1b[0m', 'line']);
  assert.equal(e.kind, 'kernel');
  assert.equal(e.message, `config builder "build()": planning failed in the kernel with ModuleNotFoundError: No module named 'run_notebook'`);
  assert.equal(e.detail, 'Trace\nline');
});

test('configEnv: the env-var contract of one run', () => {
  const plan = planFromPythonOutput(`${PLAN_PREFIX}{"configs":[{"json":{"a":1},"repr":"{'a': 1}","name_hint":null},{"json":{"a":2},"repr":"{'a': 2}","name_hint":null}]}`, 'build()');
  const c = configAt(plan, 1)!;
  assert.deepEqual(configEnv(plan, c, { dstDir: '/out', configPath: '/out/result_1/config.json', builderDir: '/nb' }), {
    __CONFIG_BUILDER__: 'build()',
    __CONFIG_IDX__: '1',
    __CONFIG_DST_DIR__: '/out',
    __NOTEBOOK_CONFIG_PATH__: '/out/result_1/config.json',
    __CONFIG_BUILDER_DIR__: '/nb',
    __NOTEBOOK_CONFIG_JSON__: `{"index":1,"name":"a=2","json":{"a":2},"repr":"{'a': 2}"}`,
  });
  assert.deepEqual(configFileContent(c), { index: 1, name: 'a=2', json: { a: 2 }, repr: "{'a': 2}" });
  assert.equal(configTextContent(c), "{'a': 2}\n");
  const none = noBuilderPlan();
  // No builder: no config, but the run's folder is known (get_result_dir()).
  assert.deepEqual(configEnv(none, none.configs[0]!, { dstDir: '/o', configPath: '/o/c.json', builderDir: '/nb' }), {
    __CONFIG_IDX__: '0',
    __CONFIG_DST_DIR__: '/o',
    __NOTEBOOK_CONFIG_PATH__: '/o/c.json',
  });
});

test('configFingerprintPart: key order does not matter; values, and reprs of objects the JSON form hides, do', () => {
  const a = configFingerprintPart({ json: { b: 1, a: { y: 2, x: 1 } }, repr: 'r1' });
  const b = configFingerprintPart({ json: { a: { x: 1, y: 2 }, b: 1 }, repr: 'r1' });
  assert.equal(a, b);
  assert.equal(a, 'json:{"a":{"x":1,"y":2},"b":1}\nrepr:r1');
  assert.notEqual(a, configFingerprintPart({ json: { a: { x: 1, y: 3 }, b: 1 }, repr: 'r1' }));
  // {"model": "<mod.Model object>"} looks the same whatever the object holds; its repr does not.
  const m1 = configFingerprintPart({ json: { model: '<mod.Model object>' }, repr: "{'model': Model(depth=2)}" });
  const m2 = configFingerprintPart({ json: { model: '<mod.Model object>' }, repr: "{'model': Model(depth=3)}" });
  assert.notEqual(m1, m2);
  assert.equal(configFingerprintPart({ json: null, repr: '(1, 2)' }), 'json:null\nrepr:(1, 2)');
});

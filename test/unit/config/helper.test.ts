// The kernel-side helper (python/run_notebook), run in a real Python process the way the
// engine defines it in a kernel: a module built from its source text. No kernel needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigBuilderError,
  configEnv,
  configFileContent,
  helperSourcePath,
  planFromPythonOutput,
  pythonPlanCode,
  type ConfigPlan,
} from '../../../src/config/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PYTHON = join(root, '.venv', 'bin', 'python');
const FIX = join(root, 'fixtures', 'config');

const PRELUDE = `
import sys, types, os, json
_src = open(os.environ["RN_HELPER"], encoding="utf-8").read()
_m = types.ModuleType("run_notebook")
_m.__file__ = "<run_notebook>"
exec(compile(_src, "<run_notebook>", "exec"), _m.__dict__)
sys.modules["run_notebook"] = _m
`;

interface PyResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runPy(code: string, env: Record<string, string> = {}, cwd = FIX): PyResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('__')));
  const r = spawnSync(PYTHON, ['-c', PRELUDE + code], {
    cwd,
    env: { ...base, RN_HELPER: helperSourcePath(), ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Plan a builder exactly as the engine will: run pythonPlanCode in the interpreter. */
function plan(expr: string, env: Record<string, string> = {}): ConfigPlan {
  const r = runPy(pythonPlanCode(expr, FIX), env);
  assert.equal(r.status, 0, r.stderr);
  return planFromPythonOutput(r.stdout, expr);
}

function planError(expr: string): ConfigBuilderError {
  try {
    plan(expr);
  } catch (err) {
    assert.ok(err instanceof ConfigBuilderError, String(err));
    return err;
  }
  assert.fail(`${expr} should fail`);
}

/** Write the config.json of one run the way the runner does, then call get_config_from_env. */
function inRun(p: ConfigPlan, index: number, code: string, opts: { inline?: boolean } = {}): PyResult {
  const dir = mkdtempSync(join(tmpdir(), 'rn-config-'));
  try {
    const c = p.configs.find((x) => x.index === index)!;
    const configPath = join(dir, `result_${index}`, 'config.json');
    mkdirSync(dirname(configPath), { recursive: true });
    writeFileSync(configPath, JSON.stringify(configFileContent(c), null, 1));
    const env = configEnv(p, c, { dstDir: dir, configPath, builderDir: FIX, inline: opts.inline ?? false });
    return runPy(code, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('python is available for these tests', () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run npm run setup`);
});

test('the helper parses as Python 3.8', () => {
  const r = runPy(`import ast; ast.parse(_src, feature_version=(3, 8)); print("ok")`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});

test('a bare name like build() is found in configs.py beside the notebook', () => {
  const p = plan('build()');
  assert.equal(p.kind, 'python');
  assert.deepEqual(
    p.configs.map((c) => c.json),
    [0.1, 0.01, 0.001].map((lr) => ({ lr, seed: 0, model: { depth: 2, act: 'relu' } })),
  );
  assert.deepEqual(
    p.configs.map((c) => c.name),
    ['lr=0.1', 'lr=0.01', 'lr=0.001'],
  );
  assert.equal(p.configs[1]!.repr, "{'lr': 0.01, 'seed': 0, 'model': {'depth': 2, 'act': 'relu'}}");
  assert.deepEqual(p.configs[0]!.params, { lr: 0.1, seed: 0, 'model.depth': 2, 'model.act': 'relu' });
});

test('builder arguments, module attributes and comprehensions evaluate', () => {
  assert.equal(plan('build(2)').configs.length, 2);
  assert.deepEqual(
    plan('CONFIGS').configs.map((c) => c.json),
    [{ x: 1 }, { x: 2 }],
  );
  assert.deepEqual(
    plan('[dict(c, k=k) for c in CONFIGS for k in range(2) if build(1)]').configs.map((c) => c.name),
    ['x=1,k=0', 'x=1,k=1', 'x=2,k=0', 'x=2,k=1'],
  );
});

test('a dotted builder imports the longest module prefix (the package does not import it)', () => {
  const p = plan('cfgpkg.lambdas.build()');
  assert.equal(p.configs.length, 4);
  assert.deepEqual(
    p.configs.map((c) => (c.json as { fn: string }).fn),
    ['<lambda x: x ** 2>', '<lambda x: x ** 3>', '<lambda x: x * k with k=2>', '<lambda x: x * k with k=3>'],
  );
  assert.ok(p.configs.every((c) => !/0x[0-9a-f]+/.test(c.repr)), 'no memory address in any repr');
  // Only parameters that vary make the name; `fn` strings are cut to stay short.
  assert.equal(p.configs[0]!.name, 'name=square,fn=<lambda x: x ** 2>,n=1');
});

test('lambdas sharing a line are told apart (by source on Python 3.11+, else by line and code hash)', () => {
  const version = runPy('print(sys.version_info >= (3, 11))').stdout.trim();
  const json = plan('cfgpkg.lambdas.two_on_a_line()').configs[0]!.json as { f: string; g: string };
  if (version === 'True') {
    assert.deepEqual(json, { f: '<lambda x: x + 1>', g: '<lambda y: (lambda z: z * y)>' });
  } else {
    assert.match(json.f, /^<lambda at line \d+, code [0-9a-f]{8}>$/);
    assert.notEqual(json.f, json.g);
  }
});

test('the plan of a builder with lambdas and sets is the same in every process', () => {
  const a = runPy(pythonPlanCode('cfgpkg.lambdas.build_mixed()', FIX), { PYTHONHASHSEED: '1' });
  const b = runPy(pythonPlanCode('cfgpkg.lambdas.build_mixed()', FIX), { PYTHONHASHSEED: '2' });
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const p = planFromPythonOutput(a.stdout, 'x');
  assert.deepEqual(p.configs[0]!.json, { name: 'sgd', lr: 0.1, schedule: '<lambda step: 0.99 ** step>' });
  assert.equal(p.configs[0]!.repr, "Optim(name='sgd', lr=0.1, schedule=<lambda step: 0.99 ** step>)");
  assert.deepEqual(p.configs[1]!.json, { k: 3, doubled: 6 });
  assert.equal(p.configs[1]!.repr, "WithToDict({'k': 3, 'doubled': 6})");
  assert.deepEqual(p.configs[2]!.json, { tags: ['a', 'b', 'c'], obj: '<cfgpkg.lambdas.Opaque object>', t: [1, 2] });
  assert.equal(p.configs[3]!.json, null);
  assert.equal(p.configs[3]!.repr, '(1, 2)');
  assert.equal(p.configs[4]!.name, 'config_4');
});

test('the builder may print; the plan line is still found', () => {
  const r = runPy(pythonPlanCode('noisy()', FIX));
  assert.match(r.stdout, /^building configs\.\.\.\nRUN_NOTEBOOK_PLAN /);
  assert.deepEqual(
    planFromPythonOutput(r.stdout, 'noisy()').configs.map((c) => c.name),
    ['a=1', 'a=2'],
  );
});

test('a config may name itself with _name', () => {
  assert.deepEqual(
    plan('named()').configs.map((c) => c.name),
    ['baseline', 'lr=0.2', 'lr=0.3'],
  );
});

test('a builder that raises gives one line plus its traceback', () => {
  const err = planError('cfgpkg.failing.build()');
  assert.equal(err.kind, 'raised');
  assert.equal(err.message, 'config builder "cfgpkg.failing.build()" raised ZeroDivisionError: division by zero');
  assert.match(err.detail!, /^Traceback/);
  assert.match(err.detail!, /failing\.py", line 2, in _helper/);
  assert.doesNotMatch(err.detail!, /run_notebook>/, 'the helper\'s own frames are left out');
  assert.equal(err.exitCode, 2);
});

test('an import error inside a builder module is the builder\'s error, not a missing prefix', () => {
  const err = planError('cfgpkg.broken_import.anything()');
  assert.equal(err.kind, 'raised');
  assert.match(err.message, /ModuleNotFoundError: No module named 'this_module_does_not_exist_anywhere'/);
});

test('builders that return nothing, or not a list', () => {
  assert.equal(planError('cfgpkg.bad.empty()').message, 'config builder "cfgpkg.bad.empty()" returned no configs (an empty list)');
  const none = planError('cfgpkg.bad.nothing()');
  assert.equal(none.kind, 'empty');
  assert.match(none.message, /returned None; it must return a list of configs/);
  assert.match(planError('cfgpkg.bad.a_dict()').message, /returned a mapping \(dict\), not a list of configs/);
  assert.match(planError('cfgpkg.bad.a_number()').message, /returned int, which is not a list of configs/);
});

test('duplicate configs are rejected, naming every group of indices', () => {
  const err = planError('cfgpkg.bad.duplicates()');
  assert.equal(err.kind, 'duplicates');
  assert.match(err.message, /duplicate configs at indices \[0, 2, 5\], \[1, 4\]/);
  assert.match(planError('cfgpkg.bad.duplicate_objects()').message, /duplicate configs at indices \[0, 2\]/);
});

test('unknown names and syntax errors say where names are looked up', () => {
  const name = planError('nope()');
  assert.match(name.message, /name 'nope' is not defined: a bare name is looked up in .*configs\.py/);
  assert.equal(planError('build(').kind, 'syntax');
  // A syntax error inside a builder module is the builder's failure, not the expression's.
  const inModule = planError('cfgpkg.syntax_error.build()');
  assert.equal(inModule.kind, 'raised');
  assert.match(inModule.message, /raised SyntaxError: invalid syntax/);
  assert.match(inModule.detail!, /syntax_error\.py", line 1/);
});

test('get_config_from_env() is None outside a sweep', () => {
  const r = runPy('import run_notebook; print(run_notebook.get_config_from_env())');
  assert.equal(r.stdout.trim(), 'None');
});

test('get_config_from_env() rebuilds the config, lambdas included, and caches it', () => {
  const p = plan('cfgpkg.lambdas.build()');
  const r = inRun(
    p,
    2,
    `from run_notebook import get_config_from_env
c = get_config_from_env()
print(c["name"], c["fn"](5), c is get_config_from_env())`,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'scaled 10 True');
});

test('numbers that passed through JavaScript (1.0 -> 1, big ints) still match the plan', () => {
  const p = plan('numbers()');
  const r = inRun(p, 0, 'import run_notebook; print(run_notebook.get_config_from_env())');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "{'w': 1.0, 'big': 1152921504606846977}");
});

test('a non-deterministic builder fails the run with a clear reason', () => {
  const p = plan('cfgpkg.nondet.build()');
  const r = inRun(p, 1, 'import run_notebook; run_notebook.get_config_from_env()');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /RuntimeError: config builder is not deterministic: config 1 differs from the planned one \(pid: planned \d+, rebuilt \d+\)/);

  const q = plan('cfgpkg.nondet.build_objects()');
  const s = inRun(q, 0, 'import run_notebook; run_notebook.get_config_from_env()');
  assert.match(s.stderr, /config builder is not deterministic: config 0 differs from the planned one \(planned Token\(\d+\), rebuilt Token\(\d+\)\)/);
});

test('a builder that now returns fewer configs is reported as non-deterministic', () => {
  const p = plan('build(3)');
  const fewer: ConfigPlan = { ...p, builder: 'build(2)' };
  const r = inRun(fewer, 2, 'import run_notebook; run_notebook.get_config_from_env()');
  assert.match(r.stderr, /config builder is not deterministic: it returned 2 configs, so config 2 does not exist/);
});

test('for a sweep file the config is decoded from config.json, or from the inline copy', () => {
  const p: ConfigPlan = {
    builder: 'sweeps/grid.yaml',
    kind: 'sweep-file',
    configs: [{ index: 7, json: { lr: 0.1, model: { depth: 2 } }, repr: 'lr: 0.1', name: 'lr=0.1', params: {} }],
  };
  const code = 'import run_notebook, json; print(json.dumps(run_notebook.get_config_from_env(), sort_keys=True)); print(run_notebook.get_result_dir())';
  const fromFile = inRun(p, 7, code);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  const [json, dir] = fromFile.stdout.trim().split('\n');
  assert.equal(json, '{"lr": 0.1, "model": {"depth": 2}}');
  assert.match(dir!, /result_7$/);

  const env = configEnv(p, p.configs[0]!, { dstDir: '/nowhere', configPath: '/nowhere/result_7/config.json', builderDir: FIX });
  const inline = runPy(code, env);
  assert.equal(inline.status, 0, inline.stderr);
  assert.equal(inline.stdout.split('\n')[0], '{"lr": 0.1, "model": {"depth": 2}}');

  const { __NOTEBOOK_CONFIG_JSON__: _drop, ...noInline } = env;
  const missing = runPy(code, noInline);
  assert.match(missing.stderr, /RuntimeError: run_notebook: config 7 of sweep file sweeps\/grid\.yaml: neither __NOTEBOOK_CONFIG_JSON__ nor a readable __NOTEBOOK_CONFIG_PATH__/);
});

test('record() keeps JSON-able results, turns NaN into "NaN" and rejects the rest', () => {
  const r = runPy(`import run_notebook as rn, math
rn.record("acc", 0.93)
rn.record("curve", [1, 2, float("nan"), math.inf])
rn.record("shape", (3, 4))
try:
    rn.record("bad", {1, 2})
except TypeError as e:
    print("TypeError:", e)
try:
    rn.record("", 1)
except TypeError as e:
    print("TypeError:", e)
print(json.dumps(rn.records()))`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], "TypeError: record('bad', ...): the value is not JSON-able: Object of type set is not JSON serializable");
  assert.match(lines[1]!, /^TypeError: record\(name, value\): name must be a non-empty string/);
  assert.deepEqual(JSON.parse(lines[2]!), [
    { name: 'acc', value: 0.93 },
    { name: 'curve', value: [1, 2, 'NaN', 'Infinity'] },
    { name: 'shape', value: [3, 4] },
  ]);
});

const IPYTHON_RECORD = `from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
InteractiveShell.instance()
import run_notebook as rn
with capture_output() as cap:
    rn.record("loss", 0.25)
print(json.dumps([[o.data for o in cap.outputs], rn.records()]))`;

test('inside a run in IPython, record() publishes display data with the single record MIME type', () => {
  const r = runPy(IPYTHON_RECORD, { __CONFIG_IDX__: '0' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!)[0], [
    { 'application/vnd.run-notebook.record+json': { name: 'loss', value: 0.25 } },
  ]);
});

test('in IPython outside a run (JupyterLab, papermill), record() shows nothing and keeps the value', () => {
  const r = runPy(IPYTHON_RECORD);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), [[], [{ name: 'loss', value: 0.25 }]]);
});

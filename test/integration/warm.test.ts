// --warm on a real server: kernels forked from a template give the same executed
// notebooks as cold ones (numpy/pandas, a matplotlib figure, os.environ, sys.argv,
// sys.path, a subprocess, --resources), fresh random numbers per run, the same outcomes
// for a timeout, os._exit, a segfault and Ctrl-C, a cold fallback that says why, and no
// template or kernel left behind (SIGKILL of the runner included).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeCell, Notebook } from '../../src/notebook/types.js';
import { envWithoutInterpreters, makeVenv } from '../helpers/venvs.js';
import { ROOT, processesMentioning, readJson, runCli, tempDir, waitFor } from './support.js';

const PY = join(ROOT, '.venv', 'bin', 'python');
const hasScience = spawnSync(PY, ['-c', 'import numpy, pandas, matplotlib'], { stdio: 'ignore' }).status === 0;
if (!hasScience) process.stderr.write('warm.test: numpy/pandas/matplotlib missing from .venv (python/requirements-test.txt): the warm-vs-cold notebook test is skipped\n');

function notebook(dir: string, name: string, cells: string[], parametersAt = -1): string {
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: i === parametersAt ? { tags: ['parameters'] } : {}, outputs: [], source })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(nb));
  return p;
}

const executed = (dst: string, i: number, stem: string) => readJson<Notebook>(join(dst, `result_${i}`, `${stem}.ipynb`));
const runJson = (dst: string, i: number) => readJson<{ status: string; attempts: { status: string; headline?: string; cellIndex?: number }[] }>(join(dst, `result_${i}`, 'run.json'));

/** The notebook as text with what legitimately differs between two sweeps taken out. */
function normalized(nb: Notebook, dst: string): string {
  const timing = nb.metadata.run_notebook as Record<string, unknown> | undefined;
  for (const k of ['duration', 'start_time', 'end_time']) delete timing?.[k];
  for (const c of nb.cells) {
    delete (c.metadata as Record<string, unknown>).execution;
    if (c.metadata.tags?.includes('injected-parameters')) c.id = '<injected>';
  }
  return JSON.stringify(nb, null, 1)
    .split(dst)
    .join('<DST>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<UUID>')
    .replace(/0x[0-9a-f]{6,}/g, '0x<ADDR>')
    .replace(/run-notebook-server-[A-Za-z0-9]+/g, 'run-notebook-server-<X>');
}

const cellStarting = (nb: Notebook, start: string) => {
  const c = nb.cells.find((x) => x.cell_type === 'code' && (Array.isArray(x.source) ? x.source.join('') : x.source).startsWith(start));
  assert.ok(c, `a code cell starting ${start}`);
  return c as CodeCell;
};

const outputText = (c: CodeCell) =>
  c.outputs
    .map((o) => ('text' in o ? o.text : 'data' in o ? (o.data['text/plain'] ?? '') : ''))
    .flat()
    .join('');

describe('--warm', () => {
  it('gives the same executed notebooks as cold kernels, and the same fingerprints', { skip: !hasScience && 'numpy/pandas/matplotlib not installed' }, async () => {
    const tmp = tempDir('rn-warm-eq-');
    const nb = notebook(
      tmp,
      'science.ipynb',
      [
        'import os, sys, subprocess\nimport numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n%matplotlib inline',
        'x = 0',
        "df = pd.DataFrame({'a': np.arange(200) * x, 'b': np.linspace(0, 1, 200)})\ndf.describe()",
        "print(sorted(os.environ))\nprint({k: v for k, v in sorted(os.environ.items()) if k.startswith('__') or k in ('CUDA_VISIBLE_DEVICES', 'MPLBACKEND', 'JUPYTER_TOKEN')})\nprint(sys.argv[0], sys.argv[1], os.path.basename(sys.argv[2])[:7])\nprint(sys.path)\nprint(os.getcwd(), sys.executable, __name__)",
        "plt.plot([1, 2, 3], [x, 1, 4])\nplt.title(f'x={x}')\nprint(plt.get_backend())\nplt.show()",
        "print(subprocess.check_output([sys.executable, '-c', 'import os; print(os.environ[\"__CONFIG_IDX__\"], os.getcwd())'], text=True))",
        'from run_notebook import get_config_from_env\nprint(get_config_from_env())\nprint(len(In), type(get_ipython()).__name__)',
      ],
      1,
    );
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2]\n');
    const args = (dst: string, ...extra: string[]) => ['--notebook', nb, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', dst, '--num_threads', '2', '--no_html', ...extra];
    const coldDst = join(tmp, 'cold');
    const warmDst = join(tmp, 'warm');
    const cold = await runCli(args(coldDst, '--resources', '3,3'), { tmp });
    assert.equal(cold.code, 0, cold.stderr);
    const warm = await runCli(args(warmDst, '--warm', '--resources', '3,3'), { tmp });
    assert.equal(warm.code, 0, warm.stderr);
    assert.doesNotMatch(warm.stderr, /warm:/, 'no cold fallback');
    for (const i of [0, 1]) {
      const c = executed(coldDst, i, 'science');
      const w = executed(warmDst, i, 'science');
      const shown = outputText(cellStarting(w, 'print(sorted(os.environ))'));
      assert.match(shown, /'CUDA_VISIBLE_DEVICES': '3'/);
      assert.match(shown, new RegExp(`'__CONFIG_IDX__': '${i}'`));
      assert.ok(cellStarting(w, 'plt.plot').outputs.some((o) => 'data' in o && 'image/png' in o.data), 'the figure is shown inline');
      const [nw, nc] = [normalized(w, warmDst), normalized(c, coldDst)];
      if (process.env.WARM_TEST_DUMP) writeFileSync(join(process.env.WARM_TEST_DUMP, `nb${i}.json`), nw + '\n=====\n' + nc);
      assert.equal(nw, nc);
    }
    assert.deepEqual(processesMentioning(tmp), []);
    // Interchangeable for --incremental: a cold rerun over the warm results finds them done.
    const again = await runCli(['configs', ...args(warmDst, '--incremental')], { tmp });
    assert.match(again.stdout, /2 configs: 0 new, 2 done, 0 stale/, again.stdout + again.stderr);
  });

  it('draws fresh random numbers in every forked kernel', async () => {
    const tmp = tempDir('rn-warm-rand-');
    const nb = notebook(tmp, 'rand.ipynb', ['import random, uuid, os', 'print(random.random(), random.getrandbits(64), uuid.uuid4(), os.urandom(8).hex())']);
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2, 3]\n');
    const dst = join(tmp, 'out');
    const r = await runCli(['--notebook', nb, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', dst, '--warm', '--no_html'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    const draws = [0, 1, 2].map((i) => outputText(cellStarting(executed(dst, i, 'rand'), 'print(random')).trim().split(' '));
    for (let k = 0; k < 4; k++) assert.equal(new Set(draws.map((d) => d[k])).size, 3, `draw ${k} differs between runs: ${JSON.stringify(draws)}`);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it("ends a forked kernel as a cold one ends: non-daemon threads joined, atexit run, files left open flushed", async () => {
    // A fork skips the interpreter's teardown (template.py exit_after_shutdown); what a run can observe of it must stay.
    const tmp = tempDir('rn-warm-exit-');
    const body = [
      'import atexit, threading, time',
      `d = ${JSON.stringify(tmp)} + "/" + mode + "_" + str(x)`,
      'atexit.register(lambda: open(d + ".atexit", "w").write("ran"))',
      'left_open = open(d + ".open", "w")',
      'left_open.write("flushed at exit")',
      'threading.Thread(target=lambda: (time.sleep(0.5), open(d + ".thread", "w").write("joined"))).start()',
    ].join('\n');
    const nb = notebook(tmp, 'exit.ipynb', ['x = 0\nmode = "none"', body], 0);
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2]\n');
    for (const mode of ['cold', 'warm']) {
      const r = await runCli(['--notebook', nb, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', join(tmp, mode), '--no_html', '-p', 'mode', mode, ...(mode === 'warm' ? ['--warm'] : [])], { tmp });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warm:/, 'the warm sweep stayed warm');
    }
    for (const mode of ['cold', 'warm']) {
      for (const x of [1, 2]) {
        const read = (ext: string) => (existsSync(join(tmp, `${mode}_${x}.${ext}`)) ? readFileSync(join(tmp, `${mode}_${x}.${ext}`), 'utf8') : 'missing');
        assert.deepEqual([read('thread'), read('atexit'), read('open')], ['joined', 'ran', 'flushed at exit'], `${mode} kernel, x=${x}`);
      }
    }
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('records a timeout, os._exit and a segfault as cold kernels do, and leaves nothing behind', async () => {
    const tmp = tempDir('rn-warm-fail-');
    const nb = notebook(
      tmp,
      'fail.ipynb',
      ['mode = "none"', 'import os, time, ctypes\nif mode == "timeout":\n    time.sleep(60)\nelif mode == "exit":\n    os._exit(3)\nelif mode == "segv":\n    ctypes.string_at(0)', 'print("after")'],
      0,
    );
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  mode: [timeout, exit, segv]\n');
    const args = (dst: string, ...extra: string[]) => ['--notebook', nb, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', dst, '--num_threads', '3', '--cell_timeout', '3', '--no_html', ...extra];
    const cold = await runCli(args(join(tmp, 'cold')), { tmp });
    const warm = await runCli(args(join(tmp, 'warm'), '--warm'), { tmp });
    assert.equal(cold.code, 1, cold.stderr);
    assert.equal(warm.code, 1, warm.stderr);
    for (const i of [0, 1, 2]) {
      const c = runJson(join(tmp, 'cold'), i).attempts.map((a) => [a.status, a.headline, a.cellIndex]);
      const w = runJson(join(tmp, 'warm'), i).attempts.map((a) => [a.status, a.headline, a.cellIndex]);
      assert.deepEqual(w, c, `config ${i}`);
    }
    assert.deepEqual(runJson(join(tmp, 'warm'), 0).attempts[0]!.status, 'timeout');
    assert.deepEqual(runJson(join(tmp, 'warm'), 1).attempts[0]!.status, 'kernel_died');
    assert.deepEqual(runJson(join(tmp, 'warm'), 2).attempts[0]!.status, 'kernel_died');
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('on Ctrl-C interrupts the forked kernels, exits 130 and leaves no template or kernel', async () => {
    const tmp = tempDir('rn-warm-int-');
    const nb = notebook(tmp, 'sleep.ipynb', ['import time\nprint("sleeping", flush=True)\ntime.sleep(60)', 'print("after")']);
    const dst = join(tmp, 'out');
    let sent = false;
    let seenRunning = 0;
    const r = await runCli(['--notebook', nb, '--dst_dir', dst, '--warm', '--no_html', '--log_output'], {
      tmp,
      onStderr: (s, child) => {
        if (!sent && /sleeping/.test(s)) {
          sent = true;
          seenRunning = processesMentioning(tmp).filter((l) => l.includes('template.py')).length;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.ok(seenRunning >= 2, 'the template and its forked kernel were running');
    assert.equal(runJson(dst, 0).status, 'interrupted');
    const cell = cellStarting(executed(dst, 0, 'sleep'), 'import time');
    assert.match(outputText(cell), /sleeping/);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('leaves no template or kernel behind after SIGKILL of the runner', async () => {
    const tmp = tempDir('rn-warm-kill-');
    const nb = notebook(tmp, 'sleep.ipynb', ['import time\nprint("sleeping", flush=True)\ntime.sleep(60)']);
    let sent = false;
    const r = await runCli(['--notebook', nb, '--dst_dir', join(tmp, 'out'), '--warm', '--no_html', '--log_output'], {
      tmp,
      onStderr: (s, child) => {
        if (!sent && /sleeping/.test(s)) {
          sent = true;
          setTimeout(() => child.kill('SIGKILL'), 300);
        }
      },
    });
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(processesMentioning(tmp).some((l) => l.includes('template.py')), 'the template was running when the runner died');
    await waitFor(() => processesMentioning(tmp).length === 0, 30_000, 'the template, its kernel and the server to exit');
  });

  it("forks from a template in the kernel's own interpreter: an activated venv, and --python", async () => {
    const tmp = tempDir('rn-warm-venv-');
    // The venv lives in the notebook's folder, as a project's .venv often does: installed there, not local code.
    const env = makeVenv(join(tmp, 'user-env'), { ipykernel: true, modules: { only_in_userenv: "WHERE = 'user-env'\n" } });
    // Warm: the template imported only_in_userenv before the fork, so the kernel has it before its own import.
    const nb = notebook(tmp, 'where.ipynb', ['import sys\nprint("only_in_userenv" in sys.modules, sys.executable)', 'import only_in_userenv\nprint(only_in_userenv.WHERE)']);
    const runs = [
      { dst: join(tmp, 'activated'), flags: [] as string[], env: envWithoutInterpreters({ VIRTUAL_ENV: env.dir, PATH: `${env.bin}:${process.env.PATH}` }) },
      { dst: join(tmp, 'flag'), flags: ['--python', env.python], env: envWithoutInterpreters() },
    ];
    for (const run of runs) {
      const r = await runCli(['--notebook', nb, '--dst_dir', run.dst, '--warm', '--no_html', ...run.flags], { tmp, env: run.env });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warm:/, 'no cold fallback');
      const out = executed(run.dst, 0, 'where');
      assert.equal(outputText(cellStarting(out, 'import sys')), `True ${env.python}\n`);
      assert.equal(outputText(cellStarting(out, 'import only_in_userenv')), 'user-env\n');
    }
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('runs cold and says so in one line when an import fails or starts a thread', async () => {
    const tmp = tempDir('rn-warm-fallback-');
    const nb = notebook(tmp, 'plain.ipynb', ['print(1 + 1)']);
    writeFileSync(join(tmp, 'threaded.py'), 'import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True, name="busy").start()\n');
    const missing = await runCli(['--notebook', nb, '--dst_dir', join(tmp, 'a'), '--warm', '--warm_imports', 'no_such_module_xyz', '--no_html'], { tmp });
    assert.equal(missing.code, 0, missing.stderr);
    const lines = missing.stderr.split('\n').filter((l) => /warm:/.test(l));
    assert.equal(lines.length, 1, missing.stderr);
    assert.match(lines[0]!, /warm: import no_such_module_xyz failed: ModuleNotFoundError.*; running kernels cold/);
    const threaded = await runCli(['--notebook', nb, '--dst_dir', join(tmp, 'b'), '--warm', '--warm_imports', 'threaded', '--no_html'], { tmp });
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.match(threaded.stderr, /warm: importing threaded started threads \(busy\); leave it out with --warm_imports; running kernels cold/);
    assert.equal(runJson(join(tmp, 'b'), 0).status, 'success');
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

describe('the warm launcher and template on their own', () => {
  it('a launcher that finds no template starts the kernel command itself and notes why', () => {
    const tmp = tempDir('rn-warm-launch-');
    const out = execFileSync(PY, ['-I', '-S', join(ROOT, 'python', 'warm', 'launch.py'), join(tmp, 'absent.sock'), '--', PY, '-c', 'print("cold kernel ran")'], { encoding: 'utf8' });
    assert.equal(out, 'cold kernel ran\n');
    assert.match(readFileSync(join(tmp, 'cold.log'), 'utf8'), /^no template: (FileNotFoundError|ConnectionRefusedError)/);
  });

  it('finds top-level imports statically, magics included, without running a cell', () => {
    const tmp = tempDir('rn-warm-scan-');
    const marker = join(tmp, 'ran');
    const cells = [
      `import os, json as j\nfrom collections import OrderedDict, abc\nfrom . import local\n%matplotlib inline\nopen(${JSON.stringify(marker)}, 'w')`,
      'def f():\n    import secret_inner\ntry:\n    import guarded\nexcept ImportError:\n    pass\nimport xml.dom.minidom',
      'this is not python',
    ];
    const code = `import json, sys; sys.path.insert(0, ${JSON.stringify(join(ROOT, 'python', 'warm'))}); import template; print(json.dumps(template.top_level_imports(json.loads(sys.argv[1]))))`;
    const found = JSON.parse(execFileSync(PY, ['-c', code, JSON.stringify(cells)], { encoding: 'utf8' })) as [string, boolean][];
    assert.deepEqual(found, [
      ['os', false],
      ['json', false],
      ['collections', false],
      ['collections.OrderedDict', true],
      ['collections.abc', true],
      ['xml.dom.minidom', false],
    ]);
    assert.ok(!existsSync(marker), 'no cell code ran');
  });
});

describe('experiment --warm', () => {
  it("forks the function's kernels from a template that pre-imported its module's imports; --warm_prefix is refused in one line", async () => {
    const tmp = tempDir('rn-warm-exp-');
    // The kernel's parent is the template when forked, the server when cold.
    writeFileSync(
      join(tmp, 'warm_exp.py'),
      'import os\nimport wave\n\ndef run(config):\n    with open("/proc/%d/cmdline" % os.getppid(), "rb") as f:\n        parent = f.read().split(b"\\0")\n    return {"forked": any(p.endswith(b"template.py") for p in parent), "x": config["x"]}\n',
    );
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2]\n');
    const args = (dst: string, ...extra: string[]) => ['experiment', '--cwd', tmp, '--experiment_builder', 'warm_exp.run', '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', join(tmp, dst), '--no_html', ...extra];
    const results = (dst: string, i: number) => readJson<{ results: Record<string, unknown> }>(join(tmp, dst, `result_${i}`, 'run.json')).results;
    const warm = await runCli(args('warm', '--warm', '--verbose'), { tmp });
    assert.equal(warm.code, 0, warm.stderr);
    assert.doesNotMatch(warm.stderr, /warm: /, 'no cold fallback');
    assert.match(warm.stderr, /\[warm\] template ready in [\d.]+ s, imported (\S+, )*wave\b/);
    const cold = await runCli(args('cold'), { tmp });
    assert.equal(cold.code, 0, cold.stderr);
    for (const i of [0, 1]) {
      assert.deepEqual(results('warm', i), { forked: true, x: i + 1 });
      assert.deepEqual(results('cold', i), { forked: false, x: i + 1 });
    }
    const prefix = await runCli(args('prefix', '--warm_prefix'), { tmp });
    assert.equal(prefix.code, 2, prefix.stderr);
    assert.equal(prefix.stderr.trim(), "error: --warm_prefix runs the cells above a notebook's parameters cell once, and an experiment has no cells: use --warm (the template pre-imports what the function's module imports)");
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

describe('--warm_prefix', () => {
  const cells = (marker: string) => [
    `import os\nwith open(${JSON.stringify(marker)}, 'a') as f:\n    f.write('ran\\n')\nprint('loaded')\ndata = list(range(10))\ndata[:3]`,
    'x = 0',
    "print(x, sum(data) * x, os.environ['__CONFIG_IDX__'])\nfrom run_notebook import get_config_from_env\nprint(get_config_from_env())",
  ];

  it('runs the cells above the parameters cell once, and each run starts from there with the notebook a cold run gives', async () => {
    const tmp = tempDir('rn-warm-prefix-');
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2, 3]\n');
    const coldMarker = join(tmp, 'cold-ran');
    const warmMarker = join(tmp, 'warm-ran');
    const run = (name: string, marker: string, dst: string, ...extra: string[]) =>
      runCli(['--notebook', notebook(tmp, name, cells(marker), 1), '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', dst, '--no_html', ...extra], { tmp });
    const cold = await run('prefix.ipynb', coldMarker, join(tmp, 'cold'));
    assert.equal(cold.code, 0, cold.stderr);
    const warm = await run('prefix.ipynb', warmMarker, join(tmp, 'warm'), '--warm_prefix');
    assert.equal(warm.code, 0, warm.stderr);
    assert.doesNotMatch(warm.stderr, /warm:/);
    assert.equal(readFileSync(coldMarker, 'utf8'), 'ran\nran\nran\n');
    assert.equal(readFileSync(warmMarker, 'utf8'), 'ran\n', 'the prefix ran once for the sweep');
    for (const i of [0, 1, 2]) {
      const w = executed(join(tmp, 'warm'), i, 'prefix');
      const c = executed(join(tmp, 'cold'), i, 'prefix');
      const first = w.cells[0] as CodeCell;
      assert.match(String((first.metadata as Record<string, { warm_prefix?: string }>).run_notebook?.warm_prefix), /executed once for the sweep/);
      delete (first.metadata as Record<string, unknown>).run_notebook;
      assert.equal(normalized(w, join(tmp, 'warm')).replace(/warm-ran/g, 'X-ran'), normalized(c, join(tmp, 'cold')).replace(/cold-ran/g, 'X-ran'));
      assert.match(outputText(cellStarting(w, 'print(x')), new RegExp(`^${i + 1} ${45 * (i + 1)} ${i}\\n\\{'x': ${i + 1}\\}`));
    }
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('stops the sweep before any run when a prefix cell fails, or calls get_config_from_env(); refuses a notebook without parameters cell', async () => {
    const tmp = tempDir('rn-warm-prefix-bad-');
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  x: [1, 2]\n');
    const failing = notebook(tmp, 'fails.ipynb', ['y = 1 / 0', 'x = 0', 'print(x)'], 1);
    const r = await runCli(['--notebook', failing, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', join(tmp, 'a'), '--warm_prefix'], { tmp });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: cell 1 above the parameters cell failed \(run once for the sweep by --warm_prefix\): ZeroDivisionError: division by zero; no run started/);
    assert.ok(!existsSync(join(tmp, 'a', 'result_0')), 'no run started');
    const config = notebook(tmp, 'config.ipynb', ['from run_notebook import get_config_from_env\ncfg = get_config_from_env()', 'x = 0'], 1);
    const c = await runCli(['--notebook', config, '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', join(tmp, 'b'), '--warm_prefix'], { tmp });
    assert.equal(c.code, 1, c.stderr);
    assert.match(c.stderr, /RuntimeError: get_config_from_env\(\) cannot be called above the parameters cell with --warm_prefix/);
    const none = notebook(tmp, 'none.ipynb', ['print(1)']);
    const n = await runCli(['--notebook', none, '--dst_dir', join(tmp, 'c'), '--warm_prefix'], { tmp });
    assert.equal(n.code, 2, n.stderr);
    assert.equal(n.stderr.trim(), 'error: --warm_prefix needs a cell tagged "parameters": the code cells above it are the prefix run once for the sweep');
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

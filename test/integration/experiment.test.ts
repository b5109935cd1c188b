// `run-notebook experiment` (and the `run-experiment` bin) end to end on the embedded
// server: a Python function per config with lambdas in the configs, artifacts in
// get_result_dir(), a returned dict as results, a failing config, retries, --incremental
// after a fix and after an edit of the module, --dry_run, a missing function, Ctrl-C.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixture, processesMentioning, readJson, runCli, tempDir, type CliResult } from './support.js';

interface RunJson {
  status: string;
  attempts: { status: string; headline?: string }[];
  results: Record<string, unknown>;
  error?: string;
  traceback?: string;
  fingerprint: string;
}
interface Summary {
  runs: { index: number; name: string; status: string; this_run: string; results: Record<string, unknown>; html: string | null; notebook: string | null }[];
}

const runJson = (dst: string, i: number) => readJson<RunJson>(join(dst, `result_${i}`, 'run.json'));

/** The fixture module and builder copied into a fresh folder (the kernel's cwd), so tests can edit them. */
function workspace(): string {
  const dir = tempDir('rn-exp-');
  for (const f of ['trainer.py', 'exp_configs.py', 'broken_import.py', 'with_helper.py', 'exp_helper.py']) copyFileSync(fixture('experiments', f), join(dir, f));
  return dir;
}

/** The command from source (tsx resolves from the repo), with names resolved in `dir` through --cwd. */
const experiment = (dir: string, args: string[], opts: Parameters<typeof runCli>[1] = {}) => runCli(['experiment', '--cwd', dir, ...args], opts);

function ranIndices(r: CliResult): number[] {
  return [...r.stderr.matchAll(/^start (\d+) /gm)].map((m) => Number(m[1])).sort();
}

/** stderr without the first line that names the kernel's interpreter (printed before the check). */
const errorLines = (r: CliResult) => r.stderr.replace(/^run-notebook: kernel .*\n/, '');

describe('experiment', () => {
  it('runs the function once per config: lambdas rebuilt, artifacts, returned dict, a failure, retries, incremental', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-exp-tmp-');
    const dst = join(dir, 'out');
    writeFileSync(join(dir, 'fail_seeds.txt'), '3\n');
    const args = ['--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build(flaky_seed=2)', '--dst_dir', dst, '--num_threads', '2', '--num_retries', '1'];
    const r = await experiment(dir, args, { tmp });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);

    for (const i of [0, 1]) {
      const run = runJson(dst, i);
      assert.equal(run.status, 'success', `run ${i}: ${JSON.stringify(run)}`);
      for (const f of ['config.json', 'config.txt', 'run.json', 'log.txt', 'success.txt', 'experiment.html', 'model.json']) assert.ok(existsSync(join(dst, `result_${i}`, f)), `${f} of run ${i}`);
    }
    // the lambda of config 1 (seed 2, k=3) was rebuilt in its own kernel: loss = 2 * 3
    assert.deepEqual(runJson(dst, 1).results, { recorded_inside: 20, loss: 6, accuracy: 1 / 7, curve: [6, 3] });
    assert.deepEqual(readJson(join(dst, 'result_1', 'model.json')), { lr: 0.1, loss: 6 });
    // retries: config 1 is flaky (fails its first attempt), config 2 fails every attempt
    assert.deepEqual(runJson(dst, 1).attempts.map((a) => a.status), ['error', 'ok']);
    assert.equal(runJson(dst, 1).attempts[0]!.headline, 'RuntimeError: flaky: attempt 1');
    const failed = runJson(dst, 2);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'ValueError: config with seed 3 fails on purpose');
    assert.deepEqual(failed.attempts.map((a) => a.status), ['error', 'error']);
    assert.ok(!existsSync(join(dst, 'result_2', 'success.txt')));
    assert.ok(existsSync(join(dst, 'result_2', 'model.json')), 'what the function wrote before failing is kept');
    // the traceback: in run.json and log.txt, the user's frames only, no ANSI in the text files
    assert.match(failed.traceback ?? '', /trainer\.py:\d+, in run/);
    assert.match(failed.traceback ?? '', /ValueError: config with seed 3 fails on purpose/);
    assert.ok(!/run_notebook\.experiment|\x1b\[/.test(failed.traceback ?? ''), failed.traceback);
    const log = readFileSync(join(dst, 'result_2', 'log.txt'), 'utf8');
    assert.match(log, /--- attempt 1\/2 at .*\ntraining lr=0\.1 seed=3\n/);
    assert.match(log, /red on stderr/);
    assert.match(log, /trainer\.py:\d+, in run[\s\S]*ValueError: config with seed 3 fails on purpose/);
    assert.match(log, /--- attempt 2 failed: ValueError: config with seed 3 fails on purpose ---/);
    // the page: config, status, results, coloured log, highlighted traceback; no notebook anywhere
    const page = readFileSync(join(dst, 'result_2', 'experiment.html'), 'utf8');
    assert.match(page, /<strong>Failed<\/strong> in the experiment: <span class="rn-headline">ValueError: config with seed 3 fails on purpose/);
    assert.match(page, /id="traceback"><div class="rn-traceback-box"/);
    assert.match(page, /<span class="ansi-red-fg">red on stderr<\/span>/);
    assert.match(readFileSync(join(dst, 'result_0', 'experiment.html'), 'utf8'), /<th scope="row">accuracy<\/th><td>0\.333333<\/td>/);
    assert.deepEqual(readdirSync(join(dst, 'result_0')).filter((f) => f.endsWith('.ipynb')), []);
    // summary and index work unchanged
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => x.status), ['success', 'success', 'failed']);
    assert.equal(summary.runs[0]!.results.loss, 2);
    assert.equal(summary.runs[0]!.html, join('result_0', 'experiment.html'));
    assert.equal(summary.runs[0]!.notebook, null);
    assert.match(readFileSync(join(dst, 'index.html'), 'utf8'), /result_0\/experiment\.html/);
    const csv = readFileSync(join(dst, 'summary.csv'), 'utf8').split('\n');
    assert.match(csv[0]!, /^index,name,status,.*,accuracy,/);
    assert.equal(csv.length, 5);
    // summary.sqlite and `run-notebook results` read experiments as they read notebooks
    const sqlite = readFileSync(join(dst, 'summary.sqlite'));
    assert.equal(sqlite.subarray(0, 15).toString(), 'SQLite format 3');
    // (the config's own "loss", a lambda, makes the returned loss the column result.loss)
    const query = await runCli(['results', dst, '--where', 'result.loss>3', '--columns', 'index,status,result.loss', '--format', 'csv']);
    assert.equal(query.code, 0, query.stderr);
    assert.equal(query.stdout, 'index,status,result.loss\n1,success,6\n');

    // --incremental after the fix: only the failed config runs
    rmSync(join(dir, 'fail_seeds.txt'));
    const again = await experiment(dir, [...args, '--incremental'], { tmp });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(ranIndices(again), [2]);
    assert.equal(runJson(dst, 2).status, 'success');
    // a dry run shows every config done; an edit of the module makes every run stale
    const plan = await experiment(dir, [...args, '--dry_run', '--incremental']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /3 configs: 0 new, 3 done, 0 stale/);
    appendFileSync(join(dir, 'trainer.py'), '\n# an edit\n');
    const stale = await experiment(dir, [...args, '--dry_run', '--incremental']);
    assert.match(stale.stdout, /3 configs: 0 new, 0 done, 3 stale/);
    const all = await experiment(dir, [...args, '--incremental'], { tmp });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(ranIndices(all), [0, 1, 2]);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('--incremental: an edit of a local module the experiment imports makes its runs stale', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-exp-tmp-');
    const dst = join(dir, 'out');
    const args = ['--experiment_builder', 'with_helper.run', '--config_builder', 'exp_configs.build()', '--dst_dir', dst, '--num_threads', '2', '--incremental'];
    const first = await experiment(dir, args, { tmp });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual([0, 1, 2].map((i) => runJson(dst, i).results.scaled), [2, 4, 6]);
    // sweep.json names what the fingerprint covers, the helper among it
    assert.match(readJson<{ notebook_digest: string }>(join(dst, 'sweep.json')).notebook_digest, /^local:exp_helper:[0-9a-f]{64}$/m);
    writeFileSync(join(dir, 'unrelated.py'), 'X = 1\n');
    const same = await experiment(dir, [...args, '--dry_run']);
    assert.match(same.stdout, /3 configs: 0 new, 3 done, 0 stale/);
    writeFileSync(join(dir, 'exp_helper.py'), 'SCALE = 10\n');
    const stale = await experiment(dir, [...args, '--dry_run']);
    assert.match(stale.stdout, /3 configs: 0 new, 0 done, 3 stale/);
    const again = await experiment(dir, args, { tmp });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(ranIndices(again), [0, 1, 2]);
    assert.deepEqual([0, 1, 2].map((i) => runJson(dst, i).results.scaled), [10, 20, 30]);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('--dry_run prints the plan and runs nothing; the run-experiment bin is the same command and resolves names in its cwd', async () => {
    const dir = workspace();
    const dst = join(dir, 'out');
    const r = await new Promise<CliResult>((res) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-experiment.js'), '--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build()', '--dst_dir', dst, '--dry_run'], {
        cwd: dir,
        env: { ...process.env, CI: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code, signal) => setTimeout(() => res({ code, signal, stdout, stderr }), 20));
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^index  state  name\n    0  run    seed=1\n    1  run    seed=2\n    2  run    seed=3\n3 configs: 3 to run\n$/);
    assert.ok(!existsSync(dst));
  });

  it('a missing function, module or a function that cannot take a config: exit 2, one line, before any run', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-exp-tmp-');
    const dst = join(dir, 'out');
    const cases: [string, RegExp][] = [
      ['trainer.nope', /^error: experiment builder "trainer\.nope": trainer has no attribute nope\n$/],
      ['nosuch.run', /^error: experiment builder "nosuch\.run": no module named nosuch \(looked in .*\)\n$/],
      ['trainer.no_config', /^error: experiment builder "trainer\.no_config" cannot take a config: its signature is \(\); it must accept one positional argument\n$/],
    ];
    for (const [target, expected] of cases) {
      const r = await experiment(dir, ['--experiment_builder', target, '--config_builder', 'exp_configs.build()', '--dst_dir', dst], { tmp });
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorLines(r), expected);
      assert.ok(!existsSync(join(dst, 'result_0')), 'no run started');
    }
    const broken = await experiment(dir, ['--experiment_builder', 'broken_import.run', '--config_builder', 'exp_configs.build()', '--dst_dir', dst], { tmp });
    assert.equal(broken.code, 2);
    assert.match(errorLines(broken), /^error: experiment builder "broken_import\.run": importing broken_import raised ModuleNotFoundError: No module named 'this_module_does_not_exist_anywhere'\n/);
    const usage = await experiment(dir, ['--config_builder', 'exp_configs.build()', '--dst_dir', dst]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^error: missing --experiment_builder/);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('on SIGINT marks running runs interrupted, exits 130 and leaves no kernel or server', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-exp-int-');
    const dst = join(dir, 'out');
    let sent = false;
    const r = await experiment(dir, ['--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build(sleep=60)', '--dst_dir', dst, '--num_threads', '2'], {
      tmp,
      onStderr: (s, child) => {
        if (!sent && /start 0/.test(s) && /start 1/.test(s)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 2000);
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);
    assert.equal(runJson(dst, 0).status, 'interrupted');
    assert.equal(runJson(dst, 1).status, 'interrupted');
    assert.ok(existsSync(join(dst, 'result_0', 'experiment.html')));
    const summary = readJson<Summary>(join(dst, 'summary.json'));
    assert.deepEqual(summary.runs.map((x) => x.status), ['interrupted', 'interrupted', 'not_run']);
  });
});

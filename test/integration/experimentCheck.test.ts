// `run-notebook check --experiment_builder` end to end on the embedded server: goldens of
// recorded results written with --update_golden, a passing check, a failing one with its
// diff line (and --rtol making it pass), a missing golden, a smoke check with a failing
// config and its JUnit file, and the flags an experiment check refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, processesMentioning, readJson, runCli, tempDir } from './support.js';

function workspace(): string {
  const dir = tempDir('rn-expcheck-');
  for (const f of ['trainer.py', 'exp_configs.py']) copyFileSync(fixture('experiments', f), join(dir, f));
  return dir;
}

const check = (dir: string, args: string[], tmp?: string) =>
  runCli(['check', '--cwd', dir, '--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build()', '--num_threads', '2', ...args], { tmp });

describe('check on experiments', { concurrency: 2 }, () => {
  it('records golden results, passes against them, and fails a changed result with one diff line per result', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-expcheck-tmp-');
    const golden = join(dir, 'golden');
    const record = await check(dir, ['--golden_dir', golden, '--update_golden'], tmp);
    assert.equal(record.code, 0, record.stdout + record.stderr);
    assert.match(record.stdout, /^recorded .*result_0\/results\.json\nrecorded .*result_1\/results\.json\nrecorded .*result_2\/results\.json\n3 golden results files written to /);
    assert.deepEqual(readJson(join(golden, 'result_1', 'results.json')), { results: { accuracy: 1 / 7, curve: [6, 3], loss: 6, recorded_inside: 20 } });

    const pass = await check(dir, ['--golden_dir', golden], tmp);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.equal(pass.stdout, 'configs: 3 passed, 0 failed\n');
    assert.match(pass.stderr, /^ran trainer\.run · config 1 \(seed=2\) in [\d.]+s$/m);

    // The golden says loss 6.5 where the function returns 6; config 2 has no golden at all.
    const p1 = join(golden, 'result_1', 'results.json');
    writeFileSync(p1, readFileSync(p1, 'utf8').replace('"loss": 6', '"loss": 6.5'));
    rmSync(join(golden, 'result_2'), { recursive: true });
    const fail = await check(dir, ['--golden_dir', golden], tmp);
    assert.equal(fail.code, 1, fail.stdout + fail.stderr);
    assert.match(fail.stdout, /^ERROR trainer\.run · config 1 \(seed=2\): recorded results differ from the golden: loss: expected 6\.5, got 6 \(difference 0\.5, allowed 0\)\n/m);
    assert.match(fail.stdout, /^ERROR trainer\.run · config 2 \(seed=3\): no golden results .*result_2\/results\.json \(nor a run\.json beside it\): record them with --update_golden\n/m);
    assert.match(fail.stdout, /configs: 1 passed, 2 failed\n$/);
    assert.ok(!existsSync(join(golden, 'result_2')), 'a check never writes goldens');

    // Within --rtol the changed result passes; a trusted dst_dir of `experiment` serves as goldens (its run.json).
    const trusted = join(dir, 'trusted');
    const run = await runCli(['experiment', '--cwd', dir, '--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build()', '--dst_dir', trusted, '--index', '2'], { tmp });
    assert.equal(run.code, 0, run.stderr);
    const within = await check(dir, ['--golden_dir', golden, '--rtol', '0.1', '--index', '1'], tmp);
    assert.equal(within.code, 0, within.stdout + within.stderr);
    assert.equal(within.stdout, 'configs: 1 passed, 0 failed\n');
    const fromRun = await check(dir, ['--golden_dir', trusted, '--index', '2'], tmp);
    assert.equal(fromRun.code, 0, fromRun.stdout + fromRun.stderr);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('--smoke: every config must run; a failing one is an ERROR line with its headline, also in JUnit', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-expcheck-tmp-');
    writeFileSync(join(dir, 'fail_seeds.txt'), '3\n');
    const junit = join(dir, 'report.xml');
    const r = await check(dir, ['--smoke', '--junit_xml', junit], tmp);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, 'ERROR trainer.run · config 2 (seed=3): ValueError: config with seed 3 fails on purpose\n\nconfigs: 2 passed, 1 failed\n');
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuites name="run-notebook check" tests="3" failures="0" errors="1" skipped="0">/);
    assert.match(xml, /<testcase classname="trainer\.run · config 2 \(seed=3\)" name="experiment">\n\s*<error message="ValueError: config with seed 3 fails on purpose" type="ExperimentError"\/>/);
    // the check's run folders are temporary unless --dst_dir is given
    assert.ok(!existsSync(join(dir, 'result_0')));
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('refuses notebooks and notebook-only flags with one line, exit 2, before anything runs', async () => {
    const dir = workspace();
    const runs = await Promise.all([
      check(dir, ['--lax']),
      check(dir, ['--allow_errors']),
      check(dir, ['fixtures/check/e2e/stored.ipynb']),
      runCli(['check', '--cwd', dir, '--experiment_builder', 'trainer.run']),
      check(dir, ['--golden_dir', join(dir, 'g'), '--smoke']),
    ]);
    const expected = [
      /^error: --lax is about notebook outputs; an experiment check compares recorded results only/,
      /^error: --allow_errors does not apply to an experiment/,
      /^error: --experiment_builder trainer\.run checks a function, not notebooks: drop fixtures\/check\/e2e\/stored\.ipynb/,
      /^error: --experiment_builder trainer\.run needs --config_builder/,
      /^error: --smoke excludes --golden_dir/,
    ];
    runs.forEach((r, i) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, expected[i]!);
      assert.equal(r.stdout, '');
    });
  });
});

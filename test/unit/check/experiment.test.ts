// `check --experiment_builder`: the mode from flags, the judgement of one experiment run
// (smoke, golden results within a tolerance, update-golden), and how reports count it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatConsoleReport, judgeExperimentRun, selectCheckMode, toJUnitXml, type CheckedExperimentRun } from '../../../src/check/index.js';
import { UsageError } from '../../../src/errors.js';

const exp = { notebooks: [], experimentBuilder: 'trainer.run', configBuilder: 'b()' };
const run = (over: Partial<CheckedExperimentRun> = {}): CheckedExperimentRun => ({
  experiment: 'trainer.run',
  configIndex: 1,
  configName: 'seed=2',
  status: 'success',
  results: { loss: 6, curve: [6, 3] },
  ...over,
});
const tol = { rtol: 0, atol: 0 };

describe('experiment check mode', () => {
  it('is smoke without goldens, golden with --golden_dir, never stored', () => {
    assert.equal(selectCheckMode(exp), 'smoke');
    assert.equal(selectCheckMode({ ...exp, smoke: true }), 'smoke');
    assert.equal(selectCheckMode({ ...exp, goldenDir: 'g' }), 'golden');
    assert.equal(selectCheckMode({ ...exp, goldenDir: 'g', updateGolden: true }), 'update-golden');
  });

  it('refuses notebooks, a missing builder and the notebook-only flags in one line', () => {
    const cases: [object, RegExp][] = [
      [{ ...exp, notebooks: ['a.ipynb'] }, /^--experiment_builder trainer\.run checks a function, not notebooks: drop a\.ipynb$/],
      [{ ...exp, configBuilder: undefined }, /^--experiment_builder trainer\.run needs --config_builder/],
      [{ ...exp, notebookFlags: ['--lax'] }, /^--lax is about notebook outputs; an experiment check compares recorded results only/],
      [{ ...exp, notebookFlags: ['--allow_errors'] }, /^--allow_errors does not apply to an experiment/],
      [{ ...exp, smoke: true, goldenDir: 'g' }, /^--smoke excludes --golden_dir/],
      [{ ...exp, updateGolden: true }, /^--update_golden needs --golden_dir/],
    ];
    for (const [flags, message] of cases) assert.throws(() => selectCheckMode(flags as typeof exp), (e: unknown) => e instanceof UsageError && message.test(e.message), JSON.stringify(flags));
  });
});

describe('judging an experiment run', () => {
  it('passes a successful run in smoke mode and fails a failed one with its headline', () => {
    assert.equal(judgeExperimentRun(run(), 'smoke', undefined, tol).error, undefined);
    const failed = judgeExperimentRun(run({ status: 'failed', headline: 'ValueError: bad lr' }), 'smoke', undefined, tol);
    assert.equal(failed.error, 'ValueError: bad lr');
    assert.equal(judgeExperimentRun(run({ status: 'failed' }), 'update-golden', undefined, tol).error, 'golden not recorded: the run failed');
  });

  it('compares recorded results with the golden within the tolerance, one line per difference', () => {
    const golden = { results: { loss: 6.5, curve: [6, 3] } };
    assert.equal(
      judgeExperimentRun(run(), 'golden', golden, tol).error,
      'recorded results differ from the golden: loss: expected 6.5, got 6 (difference 0.5, allowed 0)',
    );
    assert.equal(judgeExperimentRun(run(), 'golden', golden, { rtol: 0.1, atol: 0 }).error, undefined);
    assert.match(judgeExperimentRun(run({ results: { loss: 6 } }), 'golden', { results: { loss: 6, curve: [6, 3] } }, tol).error!, /curve: expected \[6, ?3\], not recorded/);
    assert.equal(judgeExperimentRun(run(), 'golden', { missing: 'no golden results here' }, tol).error, 'no golden results here');
    // A failed run reports why it failed, not a results diff.
    assert.equal(judgeExperimentRun(run({ status: 'failed', headline: 'boom' }), 'golden', golden, tol).error, 'boom');
  });

  it('is counted per config in the console report and is one testcase in JUnit', () => {
    const results = [judgeExperimentRun(run({ configIndex: 0, configName: 'seed=1' }), 'smoke', undefined, tol), judgeExperimentRun(run({ status: 'failed', headline: 'boom' }), 'smoke', undefined, tol)];
    const report = formatConsoleReport(results);
    assert.match(report, /^ERROR trainer\.run · config 1 \(seed=2\): boom\n\nconfigs: 1 passed, 1 failed\n$/);
    const xml = toJUnitXml(results);
    assert.match(xml, /<testsuites name="run-notebook check" tests="2" failures="0" errors="1" skipped="0">/);
    assert.match(xml, /<testcase classname="trainer\.run · config 0 \(seed=1\)" name="experiment"\/>/);
    assert.match(xml, /<error message="boom" type="ExperimentError"\/>/);
    assert.match(xml, /<property name="experiment" value="trainer\.run"\/>/);
  });
});

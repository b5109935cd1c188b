import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FailFast, type ObservedRun } from '../../../src/sweep/failFast.js';

const numpy: ObservedRun = { status: 'failed', reason: "ModuleNotFoundError: No module named 'numpy'", cellIndex: 1, headline: "ModuleNotFoundError: No module named 'numpy' (cell 2)" };
const ok: ObservedRun = { status: 'success' };

function feed(ff: FailFast, runs: ObservedRun[]): (string | undefined)[] {
  return runs.map((r) => ff.observe(r));
}

describe('fail-fast', () => {
  it('stops after the first 3 finished runs failed the same way, once, naming the error', () => {
    const ff = new FailFast(true, 12);
    const out = feed(ff, [numpy, numpy, numpy, numpy]);
    assert.deepEqual(out.slice(0, 2), [undefined, undefined]);
    assert.match(out[2]!, /^the first 3 runs all failed the same way \(ModuleNotFoundError: No module named 'numpy' \(cell 2\)\); starting none of the other 9 \(--no_fail_fast runs them anyway\)$/);
    assert.equal(out[3], undefined, 'said once');
    assert.ok(ff.stopped);
  });

  it('goes on when a run succeeded, the errors differ, or the cells differ', () => {
    for (const runs of [
      [numpy, ok, numpy, numpy],
      [numpy, numpy, { ...numpy, reason: 'KeyError: x' }],
      [numpy, numpy, { ...numpy, cellIndex: 4 }],
    ]) {
      const ff = new FailFast(true, 10);
      assert.deepEqual(feed(ff, runs), runs.map(() => undefined));
      assert.equal(ff.stopped, false);
    }
  });

  it('only the first 3 verdicts count: later identical failures do not stop the sweep', () => {
    const ff = new FailFast(true, 10);
    assert.deepEqual(feed(ff, [ok, numpy, numpy, numpy, numpy, numpy]), [undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('interrupted and aborted runs are not verdicts', () => {
    const ff = new FailFast(true, 10);
    const out = feed(ff, [numpy, { status: 'interrupted' }, { status: 'aborted' }, numpy, numpy]);
    assert.equal(out[3], undefined);
    assert.ok(out[4]);
  });

  it('is off with --no_fail_fast and for sweeps of fewer than 4 runs', () => {
    assert.deepEqual(feed(new FailFast(false, 10), [numpy, numpy, numpy]), [undefined, undefined, undefined]);
    assert.deepEqual(feed(new FailFast(true, 3), [numpy, numpy, numpy]), [undefined, undefined, undefined]);
    assert.ok(feed(new FailFast(true, 4), [numpy, numpy, numpy])[2]);
  });
});

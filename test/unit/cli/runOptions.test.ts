import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { parseResources } from '../../../src/sweep/options.js';
import { parseThreads, toSweepOptions } from '../../../src/cli/runOptions.js';

describe('flags to options', () => {
  it('parses --resources into worker slots', () => {
    assert.deepEqual(parseResources('0,1'), [['0'], ['1']]);
    assert.deepEqual(parseResources('0,0,1,1'), [['0'], ['0'], ['1'], ['1']]);
    assert.deepEqual(parseResources('0,1;2,3'), [['0', '1'], ['2', '3']]);
  });

  it('parses --num_threads: N, serial, -1, default = cores', () => {
    assert.equal(parseThreads('3'), 3);
    assert.equal(parseThreads('serial'), 1);
    assert.equal(parseThreads('-1'), availableParallelism());
    assert.equal(parseThreads(undefined), availableParallelism());
    assert.throws(() => parseThreads('0'), /--num_threads must be/);
    assert.throws(() => parseThreads('many'), /--num_threads must be/);
  });

  it("accepts the seed's --num_attempts as total attempts", () => {
    const o = toSweepOptions({ notebook: 'x.ipynb', dst_dir: 'out', num_attempts: 3, _: [] });
    assert.equal(o.numRetries, 2);
    assert.equal(toSweepOptions({ notebook: 'x.ipynb', dst_dir: 'out', num_retries: 1, _: [] }).numRetries, 1);
  });

  it('requires --notebook and --dst_dir with one-line messages', () => {
    assert.throws(() => toSweepOptions({ dst_dir: 'out', _: [] }), /missing --notebook/);
    assert.throws(() => toSweepOptions({ notebook: 'x.ipynb', _: [] }), /missing --dst_dir/);
  });

  it('--no_html and --no-html both turn HTML off', () => {
    assert.equal(toSweepOptions({ notebook: 'x', dst_dir: 'o', no_html: true, _: [] }).html, false);
    assert.equal(toSweepOptions({ notebook: 'x', dst_dir: 'o', html: false, _: [] }).html, false);
    assert.equal(toSweepOptions({ notebook: 'x', dst_dir: 'o', _: [] }).html, true);
  });
});

// `experiment` takes every run flag but --notebook and --allow_errors, plus its own, and
// README's experiments section documents its own flags.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPERIMENT_FLAGS, RUN_FLAGS } from '../../../src/cli/flagTable.js';
import { flagsOf, fromFlags } from '../../../src/cli/flags.js';
import { UsageError } from '../../../src/errors.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const names = (t: Parameters<typeof flagsOf>[0]) => flagsOf(t).map((f) => f.name);

describe('experiment flags', () => {
  it('are the run flags without --notebook and --allow_errors, plus --experiment_builder', () => {
    const run = new Set(names(RUN_FLAGS));
    run.delete('notebook');
    run.delete('allow_errors');
    assert.deepEqual(new Set(names(EXPERIMENT_FLAGS)), new Set([...run, 'experiment_builder']));
  });

  it('need --experiment_builder and --config_builder, with one-line errors', () => {
    const parse = (a: Record<string, unknown>) => fromFlags(EXPERIMENT_FLAGS, { dst_dir: 'out', ...a }, {});
    assert.throws(() => parse({ config_builder: 'b()' }), (e: unknown) => e instanceof UsageError && /^missing --experiment_builder: /.test(e.message));
    assert.throws(() => parse({ experiment_builder: 'm.f' }), (e: unknown) => e instanceof UsageError && /^missing --config_builder: /.test(e.message));
    const opts = parse({ experiment_builder: 'm.f', config_builder: 'b()', num_retries: 2, incremental: true });
    assert.equal(opts.experimentBuilder, 'm.f');
    assert.equal(opts.numRetries, 2);
    assert.equal(opts.incremental, true);
  });

  it("README's experiments section lists the flags of its own", () => {
    const start = README.indexOf('## Experiments: a Python function per config');
    assert.ok(start > 0);
    const section = README.slice(start, README.indexOf('\n## ', start + 5));
    for (const f of ['experiment_builder', 'config_builder']) assert.match(section, new RegExp(`^\\| \`--${f} `, 'm'));
    assert.match(section, /except `--notebook` and `--allow_errors`/);
  });
});

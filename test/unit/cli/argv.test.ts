import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArgs } from '../../../src/cli/argv.js';

describe('normalizeArgs', () => {
  it('rewrites kebab-case flags to snake_case, keeping values and yargs\' no- prefix', () => {
    assert.deepEqual(normalizeArgs(['--dst-dir', 'out-dir', '--num-threads=2', '--no-fail-fast', '--no-html', '--incremental', 'my-notebook.ipynb']), [
      '--dst_dir',
      'out-dir',
      '--num_threads=2',
      '--no-fail_fast',
      '--no-html',
      '--incremental',
      'my-notebook.ipynb',
    ]);
  });

  it('keeps a --sort value that starts with "-" on its flag, and leaves everything after -- alone', () => {
    assert.deepEqual(normalizeArgs(['--sort', '-acc', '--', '--dst-dir']), ['--sort=-acc', '--', '--dst-dir']);
    assert.deepEqual(normalizeArgs(['--sort', '--where', 'x']), ['--sort', '--where', 'x']);
  });

  it('leaves short flags and single words alone', () => {
    assert.deepEqual(normalizeArgs(['-p', 'a-b', '1', '-h', '--x']), ['-p', 'a-b', '1', '-h', '--x']);
  });
});

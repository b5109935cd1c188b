// Where the embedded server comes from: a --jupyter (or RUN_NOTEBOOK_JUPYTER_SERVER) that
// does not exist says "not found" in one line, exit 2, before anything starts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixture, runCli, tempDir } from './support.js';

describe('the embedded server command', () => {
  it('--jupyter PATH that does not exist: one line, "not found", exit 2', async () => {
    const dst = join(tempDir('rn-jupyter-cmd-'), 'out');
    const missing = '/nonexistent/bin/jupyter-server';
    const [flag, env] = await Promise.all([
      runCli(['--notebook', fixture('engine', 'outputs.ipynb'), '--dst_dir', dst, '--jupyter', missing]),
      runCli(['--notebook', fixture('engine', 'outputs.ipynb'), '--dst_dir', dst], { env: { RUN_NOTEBOOK_JUPYTER_SERVER: 'no-such-jupyter-command' } }),
    ]);
    assert.equal(flag.code, 2, flag.stderr);
    assert.equal(flag.stderr.trim(), `error: --jupyter ${missing}: not found`);
    assert.equal(env.code, 2, env.stderr);
    assert.equal(env.stderr.trim(), 'error: RUN_NOTEBOOK_JUPYTER_SERVER no-such-jupyter-command: not found');
  });
});

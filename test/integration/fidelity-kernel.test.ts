// Issue 17, execution as nbclient does it, on a real embedded server: kernels keep their
// IPython history in memory, so parallel kernels never share (or lock) one history.sqlite.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { executeNotebook } from '../../src/execute/index.js';
import type { Notebook, StreamOutput } from '../../src/notebook/types.js';
import { loadFixture, stopSharedServer, tempDir, withKernel } from './support.js';

after(stopSharedServer);

const stdout = (nb: Notebook) =>
  nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).filter((o): o is StreamOutput => o.output_type === 'stream').map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');

describe('issue 17: kernels as nbclient starts them (real server)', () => {
  it('parallel kernels keep their history in memory: no shared history.sqlite', async () => {
    const ipython = tempDir('rn-ipython-');
    const run = async () => {
      const nb = await loadFixture('fidelity', 'history.ipynb');
      // IPYTHONDIR points both kernels at one profile folder: with a history file they would share it.
      const outcome = await withKernel({ IPYTHONDIR: ipython }, (s) => executeNotebook(nb, s, {}));
      assert.equal(outcome.status, 'ok');
      return stdout(nb);
    };
    const outs = await Promise.all([run(), run()]);
    for (const out of outs) assert.match(out, /^hist_file :memory:$/m, out);
    assert.equal(existsSync(join(ipython, 'profile_default', 'history.sqlite')), false, 'no history file was created');
  });
});

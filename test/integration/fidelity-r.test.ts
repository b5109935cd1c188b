// Issue 17, R notebooks on a real embedded server with Debian's IRkernel: an R-syntax
// injected cell, and the per-run environment variables inside the R kernel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook } from '../../src/notebook/types.js';
import { fixture, readJson, runCli, tempDir } from './support.js';

const IR = '/usr/share/jupyter/kernels/ir/kernel.json';
const skip = existsSync(IR) ? false : `IRkernel is not installed (${IR} missing; scripts/setup.sh --test installs r-cran-irkernel as root): R tests skipped`;

const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

describe('issue 17: R notebooks (real server, IRkernel)', () => {
  it('the injected cell is R (x <- value) and the run environment reaches the R kernel', { skip }, async () => {
    const dst = join(tempDir('rn-r-'), 'out');
    const r = await runCli(['--notebook', fixture('fidelity', 'r-params.ipynb'), '--config_builder', fixture('fidelity', 'r.yaml'), '--dst_dir', dst, '--no_html', '--start_timeout', '120']);
    assert.equal(r.code, 0, r.stderr);
    for (const i of [0, 1]) {
      const nb = readJson<Notebook>(join(dst, `result_${i}`, 'r-params.ipynb'));
      const injected = nb.cells.find((c) => (c.metadata.tags ?? []).includes('injected-parameters'))!;
      assert.equal(text(injected.source), `# Parameters\nname <- "a \\"quoted\\" name"\nwhole <- 1.0\nlr <- ${i === 0 ? '0.5' : '0.25'}\n`);
      const out = nb.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).map((o) => ('text' in o ? text(o.text) : '')).join('');
      assert.match(out, new RegExp(`^lr ${i === 0 ? '0.5' : '0.25'} name a "quoted" name whole numeric $`, 'm'), out);
      assert.match(out, new RegExp(`^idx ${i} $`, 'm'), out);
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goldenCopy, selectCheckMode } from '../../../src/check/index.js';
import { UsageError } from '../../../src/errors.js';
import type { Notebook } from '../../../src/notebook/types.js';

describe('check mode from flags', () => {
  it('picks stored, smoke, golden and update-golden', () => {
    assert.equal(selectCheckMode({ notebooks: ['a.ipynb'] }), 'stored');
    assert.equal(selectCheckMode({ notebooks: ['a.ipynb'], smoke: true }), 'smoke');
    assert.equal(selectCheckMode({ notebooks: ['a.ipynb'], goldenDir: 'g' }), 'golden');
    assert.equal(selectCheckMode({ notebooks: ['a.ipynb'], goldenDir: 'g', updateGolden: true }), 'update-golden');
    assert.equal(selectCheckMode({ notebooks: ['a.ipynb'], configBuilder: 's.yaml' }), 'smoke', 'a sweep without goldens is a smoke check');
  });

  it('rejects contradictory flags with a usage error', () => {
    const bad = [
      { notebooks: [] },
      { notebooks: ['a.ipynb'], updateGolden: true },
      { notebooks: ['a.ipynb'], smoke: true, goldenDir: 'g' },
      { notebooks: ['a.ipynb', 'b.ipynb'], configBuilder: 's.yaml' },
      { notebooks: ['x/a.ipynb', 'y/a.ipynb'], goldenDir: 'g' },
    ];
    for (const flags of bad) assert.throws(() => selectCheckMode(flags), UsageError, JSON.stringify(flags));
  });
});

describe('golden copies', () => {
  it('drop timings and run metadata, and pin the injected cell id, leaving the executed notebook alone', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { run_notebook: { status: 'ok' } },
      cells: [
        { id: 'p1', cell_type: 'code', metadata: { tags: ['parameters'] }, source: 'a = 1', outputs: [], execution_count: 1 },
        { id: 'r4nd0m', cell_type: 'code', metadata: { tags: ['injected-parameters'], execution: { 'shell.execute_reply': 't' } }, source: 'a = 2', outputs: [], execution_count: 2 },
      ],
    };
    const g = goldenCopy(nb);
    assert.equal(g.metadata.run_notebook, undefined);
    assert.equal(g.cells[1]!.metadata.execution, undefined);
    assert.equal(g.cells[1]!.id, 'injected-parameters');
    assert.equal(nb.cells[1]!.id, 'r4nd0m');
    assert.ok(nb.metadata.run_notebook);
  });
});

// The schema helper other tests rely on must be able to fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertValidNotebook, notebookSchemaErrors } from '../../helpers/nbschema.js';
import type { Notebook } from '../../../src/notebook/types.js';

test('accepts a valid notebook file and rejects broken ones', () => {
  assertValidNotebook(readFileSync('fixtures/notebook/rich.ipynb', 'utf8'));
  const noId = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', metadata: {}, source: '' }] } as unknown as Notebook;
  assert.ok(notebookSchemaErrors(noId).some((e) => e.includes('id')));
  const badOutput = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ id: 'a', cell_type: 'code', metadata: {}, source: '', execution_count: null, outputs: [{ output_type: 'stream', text: 'x' }] }],
  } as unknown as Notebook;
  assert.throws(() => assertValidNotebook(badOutput, 'bad'), /bad does not match the nbformat v4.5 schema/);
});

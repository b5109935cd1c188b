// Validate a notebook against the nbformat v4.5 JSON schema shipped with the project's
// Python nbformat (found through the venv's python once, then cached in this process).
//
//   import { assertValidNotebook } from '../../helpers/nbschema.js';
//   assertValidNotebook(nb);            // an in-memory Notebook: validated in its on-disk form
//   assertValidNotebook(fileText);      // the text of an .ipynb file

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssertionError } from 'node:assert';
import { Ajv, type ValidateFunction } from 'ajv';
import { serializeNotebook } from '../../src/notebook/write.js';
import { parseJson } from '../../src/notebook/pyjson.js';
import type { Notebook } from '../../src/notebook/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let cached: ValidateFunction | undefined;

/** Path of nbformat's v4.5 schema in the project venv (or the python on PATH as a fallback). */
export function nbformatSchemaPath(): string {
  const venvPython = path.join(repoRoot, '.venv', 'bin', 'python');
  const python = existsSync(venvPython) ? venvPython : 'python3';
  const out = execFileSync(
    python,
    ['-c', 'import nbformat, os; print(os.path.join(os.path.dirname(nbformat.__file__), "v4", "nbformat.v4.5.schema.json"))'],
    { encoding: 'utf8' },
  );
  return out.trim();
}

function validator(): ValidateFunction {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(nbformatSchemaPath(), 'utf8')) as Record<string, unknown>;
  // The schema declares draft-04; nothing in it differs under ajv's default draft.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  cached = ajv.compile(schema);
  return cached;
}

/** The schema errors of a notebook (empty when valid). */
export function notebookSchemaErrors(nbOrText: Notebook | string): string[] {
  // parseJson, not JSON.parse: notebooks may hold NaN / Infinity, as Python writes them.
  const doc: unknown = parseJson(typeof nbOrText === 'string' ? nbOrText : serializeNotebook(nbOrText));
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Throws an AssertionError listing the schema violations. */
export function assertValidNotebook(nbOrText: Notebook | string, label = 'notebook'): void {
  const errors = notebookSchemaErrors(nbOrText);
  if (errors.length > 0) {
    throw new AssertionError({ message: `${label} does not match the nbformat v4.5 schema:\n  ${errors.slice(0, 20).join('\n  ')}` });
  }
}

// Test helpers: read fixture notebooks (joining multiline arrays, as src/notebook's reader does)
// and build small notebooks inline.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeCell, Notebook, Output } from '../../../src/notebook/types.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/check');

const join1 = (v: unknown) => (Array.isArray(v) ? v.join('') : v);

export function readNotebook(path: string): Notebook {
  const nb = JSON.parse(readFileSync(path, 'utf8'));
  for (const cell of nb.cells) {
    cell.source = join1(cell.source);
    for (const out of cell.outputs ?? []) {
      if ('text' in out) out.text = join1(out.text);
      for (const [mime, value] of Object.entries(out.data ?? {})) {
        if (Array.isArray(value)) out.data[mime] = join1(value);
      }
    }
  }
  return nb as Notebook;
}

export function ruleFixture(rule: string): { expected: Notebook; pass: Notebook; fail: Notebook } {
  const dir = join(FIXTURES, 'rules', rule);
  return {
    expected: readNotebook(join(dir, 'expected.ipynb')),
    pass: readNotebook(join(dir, 'pass.ipynb')),
    fail: readNotebook(join(dir, 'fail.ipynb')),
  };
}

export function code(source: string, outputs: Output[] = [], extra: Partial<CodeCell> = {}): CodeCell {
  return { cell_type: 'code', source, metadata: {}, execution_count: 1, outputs, ...extra };
}

export function nb(...cells: Notebook['cells']): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

export const stdout = (text: string): Output => ({ output_type: 'stream', name: 'stdout', text });
export const plain = (text: string): Output => ({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': text }, metadata: {} });

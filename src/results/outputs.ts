// A run's outputs for the index page's compare panel: per code cell, its number as the user
// counts cells (error-marker and injected-parameters cells left out, as `check` does), its
// first source line, and its outputs keyed and normalised exactly as `check` compares them
// (streams merged, default sanitizers applied). Texts are cut to keep the page small.
import { readFileSync } from 'node:fs';
import { comparableOutputs, DEFAULT_SANITIZERS, firstSourceLine } from '../check/index.js';
import { isErrorMarker, parseNotebook } from '../notebook/index.js';
import type { Cell } from '../notebook/types.js';

export type CellOutputs = [number, string, Record<string, string>];

const MAX_KEY_CHARS = 2000;
const MAX_RUN_CHARS = 12000;

export function runOutputs(notebookPath: string): { cells: CellOutputs[]; cut: boolean } {
  let nb;
  try {
    nb = parseNotebook(readFileSync(notebookPath, 'utf8'), notebookPath);
  } catch {
    return { cells: [], cut: false };
  }
  const cells: CellOutputs[] = [];
  let n = 0;
  let total = 0;
  let cut = false;
  for (const cell of nb.cells as Cell[]) {
    const tags = Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
    if (isErrorMarker(cell) || tags.includes('injected-parameters')) continue;
    n++;
    if (cell.cell_type !== 'code') continue;
    const keyed: Record<string, string> = {};
    for (const [k, values] of comparableOutputs(cell.outputs, { compareImages: false, sanitizers: DEFAULT_SANITIZERS })) {
      let text = values.join('\n');
      if (text.length > MAX_KEY_CHARS || total + text.length > MAX_RUN_CHARS) {
        text = text.slice(0, Math.max(0, Math.min(MAX_KEY_CHARS, MAX_RUN_CHARS - total))) + '\n[… cut]';
        cut = true;
      }
      total += text.length;
      keyed[k] = text;
    }
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    cells.push([n, firstSourceLine(source), keyed]);
  }
  return { cells, cut };
}

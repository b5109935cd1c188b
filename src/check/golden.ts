// Golden notebooks: where they live and what of an executed notebook is kept in them.

import { join } from 'node:path';
import type { Notebook } from '../notebook/types.js';

/** Same value as src/notebook's INJECTED_PARAMETERS_TAG. */
const INJECTED_PARAMETERS_TAG = 'injected-parameters';

/** `<goldenDir>/result_<idx>/<stem>.ipynb`: the run directory's layout, so a trusted dst_dir can serve as goldens. */
export function goldenPath(goldenDir: string, configIndex: number, notebookStem: string): string {
  return join(goldenDir, `result_${configIndex}`, `${notebookStem}.ipynb`);
}

/** `result_<idx>` folder names → their index; other names → undefined. */
export function goldenIndexOf(dirName: string): number | undefined {
  const m = /^result_(\d+)$/.exec(dirName);
  return m ? Number(m[1]) : undefined;
}

/**
 * The copy of an executed notebook that is recorded as a golden: what the comparison ignores
 * and what changes on every run (per-cell `metadata.execution` timestamps, the notebook's
 * `metadata.run_notebook` times) is left out, so re-recording an unchanged notebook leaves
 * the file unchanged and `git diff` shows only real changes. The injected-parameters cell,
 * whose id is random, gets the id `injected-parameters`. Outputs, execution counts and the
 * rest of the metadata are kept.
 */
export function goldenCopy(executed: Notebook): Notebook {
  const nb = structuredClone(executed);
  delete nb.metadata.run_notebook;
  for (const cell of nb.cells) if (cell.metadata) delete cell.metadata.execution;
  // The injected-parameters cell gets a fresh random id on every run: give it a fixed one.
  const ids = new Set(nb.cells.map((c) => c.id));
  const injected = nb.cells.filter((c) => c.metadata?.tags?.includes(INJECTED_PARAMETERS_TAG));
  if (injected.length === 1 && !ids.has(INJECTED_PARAMETERS_TAG)) injected[0]!.id = INJECTED_PARAMETERS_TAG;
  return nb;
}

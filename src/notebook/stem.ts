import { basename, extname } from 'node:path';

/** `notebooks/train.ipynb` → `train`: the base name of a notebook's result files and goldens. */
export function notebookStem(path: string): string {
  return basename(path, extname(path));
}

// A digest of what a notebook *does*: cell types, sources and tags, in order. Outputs,
// execution counts, ids, other metadata, the injected-parameters cell and error markers
// are left out, so an executed notebook has the digest of the notebook it came from.

import { createHash } from 'node:crypto';
import { isErrorMarker } from './errorMarker.js';
import { hasTag, INJECTED_PARAMETERS_TAG } from './parameters.js';
import type { Notebook } from './types.js';

/** sha256 (hex) of the notebook's cell types, sources and tags. */
export function notebookSourceDigest(nb: Notebook): string {
  const cells = nb.cells
    .filter((cell) => !isErrorMarker(cell) && !hasTag(cell, INJECTED_PARAMETERS_TAG))
    .map((cell) => [cell.cell_type, cell.source, Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : []]);
  return createHash('sha256').update(JSON.stringify(cells)).digest('hex');
}

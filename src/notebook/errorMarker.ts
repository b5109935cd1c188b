// Error markers, in the spirit of papermill's: when a run fails, the saved notebook gets
// a banner cell at the top saying where and why, linking to an anchor cell placed just
// before the failing cell. Both are markdown cells carrying ERROR_MARKER_TAG and
// `metadata.run_notebook.error_marker`, so removeErrorMarkers() finds them again and a
// rerun never stacks a second set.

import { newCellId } from './cellIds.js';
import type { Cell, MarkdownCell, Notebook } from './types.js';

export const ERROR_MARKER_TAG = 'run-notebook-error-marker';
/** The HTML id of the anchor cell, the banner's link target. */
export const ERROR_ANCHOR_ID = 'run-notebook-error';

export type ErrorMarkerKind = 'banner' | 'anchor';

/** Which marker a cell is, or null for an ordinary cell. */
export function errorMarkerKind(cell: Cell): ErrorMarkerKind | null {
  const meta = cell.metadata?.run_notebook;
  const kind = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as { error_marker?: unknown }).error_marker : undefined;
  if (kind === 'banner' || kind === 'anchor') return kind;
  if (cell.metadata?.tags?.includes(ERROR_MARKER_TAG)) return cell.source.includes(`id="${ERROR_ANCHOR_ID}"`) ? 'anchor' : 'banner';
  return null;
}

export function isErrorMarker(cell: Cell): boolean {
  return errorMarkerKind(cell) !== null;
}

/** Remove every error-marker cell. Returns how many were removed. */
export function removeErrorMarkers(nb: Notebook): number {
  const before = nb.cells.length;
  nb.cells = nb.cells.filter((cell) => !isErrorMarker(cell));
  return before - nb.cells.length;
}

function markerCell(nb: Notebook, kind: ErrorMarkerKind, source: string): MarkdownCell {
  return {
    cell_type: 'markdown',
    id: newCellId(nb),
    metadata: { tags: [ERROR_MARKER_TAG], run_notebook: { error_marker: kind } },
    source,
  };
}

/** A fenced code block that no backtick run inside `text` can close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/**
 * Mark the failure of the cell at `cellIndex` (an index into `nb.cells` as given).
 * Existing markers are removed first. `headline` is the one-line reason, e.g.
 * "ZeroDivisionError: division by zero" or "timeout after 30 s".
 */
export function addErrorMarker(nb: Notebook, cellIndex: number, headline: string): void {
  const failing = nb.cells[cellIndex];
  if (!failing) throw new RangeError(`addErrorMarker: no cell at index ${cellIndex}`);
  removeErrorMarkers(nb);
  const index = nb.cells.indexOf(failing);
  if (index === -1) throw new RangeError(`addErrorMarker: cell ${cellIndex} is itself an error marker`);
  // Count as a reader of the unmarked notebook would: cells from 1.
  const count = failing.cell_type === 'code' && failing.execution_count !== null ? ` (In [${failing.execution_count}])` : '';
  const where = `cell ${index + 1}${count}`;
  const anchor = markerCell(
    nb,
    'anchor',
    `<span id="${ERROR_ANCHOR_ID}" style="color:#b00020; font-weight:bold;">The next cell failed, and execution stopped there.</span>\n`,
  );
  nb.cells.splice(index, 0, anchor);
  const banner = markerCell(
    nb,
    'banner',
    `<span style="color:#b00020; font-weight:bold; font-size:1.3em;">Execution failed at ${where}.</span> ` +
      `[Go to the failing cell](#${ERROR_ANCHOR_ID})\n\n${fenced(headline.trim())}\n`,
  );
  nb.cells.unshift(banner);
}

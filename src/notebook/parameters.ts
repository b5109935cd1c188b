// papermill-compatible parameters: a code cell tagged `injected-parameters`, placed right
// after the first cell tagged `parameters` (or at the top when there is none), assigns
// each top-level key of the config as a literal of the kernel's language. Earlier
// injected cells are removed first, so injecting twice leaves one cell.

import { newCellId } from './cellIds.js';
import { translatorFor } from './translators.js';
import type { Cell, CodeCell, JSONValue, Notebook } from './types.js';

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** The source of the injected cell for `params` in `language` (throws for an unsupported language). */
export function parametersSource(params: Record<string, JSONValue>, language: string): string {
  const t = translatorFor(language);
  const lines = [t.comment('Parameters injected by run-notebook for this run')];
  for (const [name, value] of Object.entries(params)) {
    if (t.isValidName(name)) lines.push(t.assign(name, value));
    else lines.push(t.comment(`skipped ${t.literal(name)}: not a valid ${t.language} variable name`));
  }
  return lines.join('\n') + '\n';
}

/**
 * Insert the injected-parameters cell into `nb` (in place) and return it.
 * Throws ParameterInjectionError for an unsupported language, before changing anything.
 */
export function injectParameters(nb: Notebook, params: Record<string, JSONValue>, language: string): CodeCell {
  const source = parametersSource(params, language);
  nb.cells = nb.cells.filter((cell) => !hasTag(cell, INJECTED_PARAMETERS_TAG));
  const paramsIndex = nb.cells.findIndex((cell) => hasTag(cell, PARAMETERS_TAG));
  const cell: CodeCell = {
    cell_type: 'code',
    id: newCellId(nb),
    metadata: { tags: [INJECTED_PARAMETERS_TAG] },
    source,
    execution_count: null,
    outputs: [],
  };
  nb.cells.splice(paramsIndex + 1, 0, cell);
  return cell;
}

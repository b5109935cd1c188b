// papermill-compatible parameters: a code cell tagged `injected-parameters` assigns each
// top-level key of the config. As papermill does it: the cell goes right after the first
// cell tagged `parameters`, else where an earlier injected cell stood (replacing it), else at
// the top (with papermill's warning); the values are recorded in
// `metadata.papermill.parameters`.

import { newCellId } from './cellIds.js';
import { toNotebookValue, type ExactJSON } from './exactJson.js';
import { translatorFor } from './translators.js';
import type { Cell, CodeCell, JSONObject, Notebook } from './types.js';

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

/** papermill's warning for a notebook without a `parameters` cell. */
export const NO_PARAMETERS_CELL_WARNING = "Input notebook does not contain a cell with tag 'parameters'";

export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** The config's top-level values, numbers exact (`1.0`, big ints). */
export type ParameterValues = { [name: string]: ExactJSON };

/**
 * From a Python builder, per name: Python source that gives the real value (a literal, or an
 * expression reading it through the helper, `get_config_from_env()['loss']`, when it has no
 * literal form) and whether it is a literal. Used for Python kernels.
 */
export type PythonSources = Array<[string, string, boolean]>;

function sourceText(source: Cell['source']): string {
  return Array.isArray(source) ? source.join('') : String(source ?? '');
}

/** The source of the injected cell in `language` (throws for an unsupported language). */
export function parametersSource(values: ParameterValues, language: string, pythonSources?: PythonSources): string {
  const t = translatorFor(language);
  const lines = [t.comment('Parameters')];
  if (t.language === 'python' && pythonSources) {
    if (pythonSources.some(([, , literal]) => !literal)) lines.push('from run_notebook import get_config_from_env');
    for (const [name, src] of pythonSources) {
      if (t.isValidName(name)) lines.push(`${name} = ${src}`);
      else lines.push(t.comment(`skipped ${t.literal(name)}: not a valid ${t.language} variable name`));
    }
    return lines.join('\n') + '\n';
  }
  for (const [name, value] of Object.entries(values)) {
    if (t.isValidName(name)) lines.push(t.assign(name, value));
    else lines.push(t.comment(`skipped ${t.literal(name)}: not a valid ${t.language} variable name`));
  }
  return lines.join('\n') + '\n';
}

/** Names in code that show a notebook reads its config itself (the seed tool's style). */
const READS_CONFIG = /\bget_config_from_env\b|__CONFIG_(?:IDX|BUILDER|DST_DIR)__|__NOTEBOOK_CONFIG_(?:PATH|JSON)__/;

/**
 * Where a config's parameters go: `parameters` (after the tagged cell, or replacing an earlier
 * injected cell), `top` for a notebook that neither has a `parameters` cell nor reads its
 * config through `get_config_from_env()` (papermill's way, with its warning), or `none` for a
 * notebook that reads its config itself.
 */
export function injectionPlace(nb: Notebook): 'parameters' | 'top' | 'none' {
  if (nb.cells.some((c) => hasTag(c, PARAMETERS_TAG) || hasTag(c, INJECTED_PARAMETERS_TAG))) return 'parameters';
  const readsConfig = nb.cells.some((c) => c.cell_type === 'code' && READS_CONFIG.test(sourceText(c.source)));
  return readsConfig ? 'none' : 'top';
}

/**
 * Insert the injected-parameters cell into `nb` (in place), record the values in
 * `metadata.papermill.parameters`, and return the cell.
 * Throws ParameterInjectionError for an unsupported language, before changing anything.
 */
export function injectParameters(nb: Notebook, values: ParameterValues, language: string, pythonSources?: PythonSources): CodeCell {
  const source = parametersSource(values, language, pythonSources);
  const cell: CodeCell = {
    cell_type: 'code',
    id: newCellId(nb),
    metadata: { tags: [INJECTED_PARAMETERS_TAG] },
    source,
    execution_count: null,
    outputs: [],
  };
  // After the parameters cell (so its defaults are overridden, even when an old injected
  // cell sits before it), else where an earlier injected cell was, else at the top.
  const injected = nb.cells.findIndex((c) => hasTag(c, INJECTED_PARAMETERS_TAG));
  const cells = nb.cells.filter((c) => !hasTag(c, INJECTED_PARAMETERS_TAG));
  const paramsIndex = cells.findIndex((c) => hasTag(c, PARAMETERS_TAG));
  const at = paramsIndex >= 0 ? paramsIndex + 1 : injected >= 0 ? nb.cells.slice(0, injected).filter((c) => !hasTag(c, INJECTED_PARAMETERS_TAG)).length : 0;
  cells.splice(at, 0, cell);
  nb.cells = cells;
  const papermill = (nb.metadata.papermill ?? {}) as JSONObject;
  nb.metadata.papermill = { ...(typeof papermill === 'object' && !Array.isArray(papermill) ? papermill : {}), parameters: toNotebookValue(values) };
  return cell;
}

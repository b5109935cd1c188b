// A planned config into a notebook, papermill's way: an `injected-parameters` cell for a
// mapping config (exact numbers, real objects through the helper), recorded in
// metadata.papermill.parameters. See notebook/parameters.ts for where the cell goes.
import { injectionPlace, injectParameters, NO_PARAMETERS_CELL_WARNING, type ExactJSON, type ParameterValues } from '../notebook/index.js';
import type { Notebook } from '../notebook/types.js';
import { exactJsonOf } from './plan.js';
import type { PlannedConfig } from './types.js';


function isMapping(v: ExactJSON | null): v is { [key: string]: ExactJSON } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Injects `config` into `nb` (in place) when it is a mapping and the notebook takes parameters. */
export function injectConfig(nb: Notebook, config: PlannedConfig, language: string): 'parameters' | 'top' | 'none' {
  const values = exactJsonOf(config);
  if (!isMapping(values)) return 'none';
  const place = injectionPlace(nb);
  if (place !== 'none') injectParameters(nb, values as ParameterValues, language, config.pythonSources);
  return place;
}

/** papermill's warning, once per sweep, when these configs' parameters go at the top of `nb`. */
export function injectionWarning(nb: Notebook, configs: readonly PlannedConfig[]): string[] {
  if (injectionPlace(nb) !== 'top' || !configs.some((c) => isMapping(exactJsonOf(c)))) return [];
  return [`${NO_PARAMETERS_CELL_WARNING}: the parameters were injected at the top`];
}

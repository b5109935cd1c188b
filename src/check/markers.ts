// nbval's per-cell markers, as source comments and as cell tags, so nbval suites port unchanged.

import type { Cell } from '../notebook/types.js';

export interface CellCheckMode {
  /** False for NBVAL_SKIP / nbval-skip / skip-execution: the runner must not execute the cell. */
  execute: boolean;
  /** Whether the cell's outputs are compared. False with NBVAL_IGNORE_OUTPUT; under lax, true only with NBVAL_CHECK_OUTPUT. */
  compareOutputs: boolean;
  /** The cell may raise (NBVAL_RAISES_EXCEPTION / raises-exception / nbval-raises-exception); its error is then compared like an output. */
  raisesException: boolean;
  /** The markers and tags found, in the order they decided things. For messages. */
  markers: string[];
}

type Effect = { kind: 'check'; value: boolean } | { kind: 'skip' } | { kind: 'raises' };

/** Source-comment markers. A line that is `#`s followed by exactly the marker name (whitespace aside). */
export const COMMENT_MARKERS: Readonly<Record<string, Effect>> = {
  NBVAL_IGNORE_OUTPUT: { kind: 'check', value: false },
  PYTEST_VALIDATE_IGNORE_OUTPUT: { kind: 'check', value: false }, // nbval's legacy spelling
  NBVAL_CHECK_OUTPUT: { kind: 'check', value: true },
  NBVAL_RAISES_EXCEPTION: { kind: 'raises' },
  NBVAL_SKIP: { kind: 'skip' },
};

/** Cell tags (metadata.tags). */
export const TAG_MARKERS: Readonly<Record<string, Effect>> = {
  'nbval-ignore-output': { kind: 'check', value: false },
  'nbval-check-output': { kind: 'check', value: true },
  'nbval-raises-exception': { kind: 'raises' },
  'raises-exception': { kind: 'raises' },
  'nbval-skip': { kind: 'skip' },
  'skip-execution': { kind: 'skip' },
};

function commentMarkers(source: string): string[] {
  const found: string[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith('#')) continue;
    const name = line.replace(/^#+/, '').trim();
    if (Object.hasOwn(COMMENT_MARKERS, name)) found.push(name);
  }
  return found;
}

function tagMarkers(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  if (!Array.isArray(tags)) return [];
  return tags.filter((t): t is string => typeof t === 'string' && Object.hasOwn(TAG_MARKERS, t));
}

/**
 * How the runner and the comparison treat one cell.
 *
 * As in nbval, tags are read first and source comments second, so a comment wins over a tag,
 * and among several output markers the last one wins. Non-code cells are neither executed
 * nor compared.
 */
export function cellCheckMode(cell: Cell, lax = false): CellCheckMode {
  if (cell.cell_type !== 'code') {
    return { execute: false, compareOutputs: false, raisesException: false, markers: [] };
  }
  const mode: CellCheckMode = { execute: true, compareOutputs: !lax, raisesException: false, markers: [] };
  const apply = (name: string, effect: Effect) => {
    mode.markers.push(name);
    if (effect.kind === 'check') mode.compareOutputs = effect.value;
    else if (effect.kind === 'skip') mode.execute = false;
    else mode.raisesException = true;
  };
  for (const tag of tagMarkers(cell)) apply(tag, TAG_MARKERS[tag]!);
  for (const name of commentMarkers(cell.source ?? '')) apply(name, COMMENT_MARKERS[name]!);
  if (!mode.execute) mode.compareOutputs = false;
  return mode;
}

/**
 * The markers' rules for the engine (SweepOptions.cellRules): which cells it must leave
 * unexecuted (NBVAL_SKIP, nbval-skip, skip-execution) and which may raise without stopping
 * the run (NBVAL_RAISES_EXCEPTION, raises-exception, nbval-raises-exception). `--lax` changes
 * neither.
 */
export const engineCellRules = {
  skipCell: (cell: Cell): boolean => !cellCheckMode(cell).execute,
  mayRaise: (cell: Cell): boolean => cellCheckMode(cell).raisesException,
} as const;

import type { Sanitizer } from './sanitize.js';

/**
 * - `passed`: ran without an unexpected error, and the outputs match (or were not compared).
 * - `failed`: the outputs differ, or the cell has no counterpart in the other notebook.
 * - `error`: the cell raised although it is not marked to raise.
 * - `skipped`: not executed (NBVAL_SKIP, nbval-skip, skip-execution, or an earlier cell raised).
 */
export type CellStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface CellResult {
  /**
   * 0-based position among all cells (any type) of the executed notebook, or of the expected one
   * when the cell is missing there, not counting the injected-parameters cell and error-marker
   * cells, so it matches the notebook as the user wrote it. Reports show it 1-based: `cell 3`.
   */
  cellIndex: number;
  /** The first non-blank source line, trimmed and cut to 100 characters. */
  firstLine: string;
  status: CellStatus;
  /** Unified diff(s) of expected vs got, one per mismatching output key. Only on `failed` with differing outputs. */
  diff?: string;
  /** One line: why the cell failed, errored or was skipped, or a note on a passed cell. */
  message?: string;
  /** Wall time of the cell, from the executed cell's `metadata.execution` timestamps, when present. */
  durationMs?: number;
}

export interface CompareOptions {
  /** nbval's --nbval-lax: only cells marked NBVAL_CHECK_OUTPUT / nbval-check-output have their outputs compared. */
  lax?: boolean;
  /** Compare `image/*` outputs too (byte-exact after base64 whitespace is removed; SVG as text). */
  compareImages?: boolean;
  /** Turn off the built-in sanitizers (memory addresses, timestamps, UUIDs, temp paths). */
  noDefaultSanitizers?: boolean;
  /** Extra sanitizers, e.g. from `loadSanitizers(file)`. Applied before the built-in ones. */
  sanitizers?: Sanitizer[];
  /** Every cell may raise (the run used allow_errors); errors are then compared like any output. */
  allowErrors?: boolean;
  /** Code cells with any of these tags take no part in matching or comparison. Default: ['injected-parameters']. */
  excludeTags?: string[];
}

/** The check of one notebook (under one config, in a sweep). */
export interface NotebookCheckResult {
  /** The notebook, or for an experiment check its MODULE.FUNCTION. */
  notebook: string;
  /** An experiment run (`check --experiment_builder`): no cells, its results are the whole check. */
  kind?: 'experiment';
  configIndex?: number;
  configName?: string;
  cells: CellResult[];
  /** A notebook-level failure: the run failed before any cell could be compared (kernel died, timeout, missing golden, ...). */
  error?: string;
}

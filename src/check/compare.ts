// Compare an executed notebook with the expected one (its stored outputs, or a golden run).

import { stripVTControlCharacters } from 'node:util';
import type { Cell, CodeCell, Notebook } from '../notebook/types.js';
import type { CellResult, CompareOptions } from './types.js';
import { cellCheckMode, COMMENT_MARKERS, type CellCheckMode } from './markers.js';
import { comparableOutputs, ERROR_KEY, type NormalizeOptions } from './normalize.js';
import { joinForDiff, unifiedDiff } from './diff.js';
import { resolveSanitizers } from './sanitize.js';

/** Same value as src/notebook's INJECTED_PARAMETERS_TAG. */
export const DEFAULT_EXCLUDE_TAGS: readonly string[] = ['injected-parameters'];
/** Same value as src/notebook's ERROR_MARKER_TAG: markdown cells a failed run adds. Never counted. */
const ERROR_MARKER_TAG = 'run-notebook-error-marker';

interface Located {
  cell: CodeCell;
  /** Index into notebook.cells, not counting excluded cells and error markers: the user's numbering. */
  index: number;
}

export interface CellPair {
  expected?: Located;
  actual?: Located;
}

function codeCells(nb: Notebook, exclude: readonly string[]): Located[] {
  const out: Located[] = [];
  let index = 0;
  for (const cell of nb.cells as Cell[]) {
    const tags = Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
    if (tags.includes(ERROR_MARKER_TAG) || tags.some((t) => exclude.includes(t))) continue;
    if (cell.cell_type === 'code') out.push({ cell, index });
    index++;
  }
  return out;
}

function uniqueIds(cells: Located[]): Map<string, Located> | undefined {
  const map = new Map<string, Located>();
  for (const c of cells) {
    const id = c.cell.id;
    if (typeof id !== 'string' || id === '' || map.has(id)) return undefined;
    map.set(id, c);
  }
  return map;
}

/**
 * Pair the code cells of two notebooks (markdown and raw cells, and cells tagged with an
 * excluded tag, take no part).
 *
 * - **By id** when every code cell on both sides has an id, ids are unique on each side, and
 *   at least one id is shared. Then an inserted or deleted cell fails on its own instead of
 *   shifting every cell after it. Pairs follow the executed notebook's order; expected cells
 *   with no partner come after.
 * - **By position** among code cells otherwise (nbformat < 4.5 has no ids; ids generated
 *   afresh on each read share nothing).
 */
export function pairCells(expected: Notebook, actual: Notebook, excludeTags: readonly string[] = DEFAULT_EXCLUDE_TAGS): {
  by: 'id' | 'position';
  pairs: CellPair[];
} {
  const exp = codeCells(expected, excludeTags);
  const act = codeCells(actual, excludeTags);
  const expIds = uniqueIds(exp);
  const actIds = uniqueIds(act);
  if (expIds && actIds && [...actIds.keys()].some((id) => expIds.has(id))) {
    const pairs: CellPair[] = act.map((a) => ({ actual: a, expected: expIds.get(a.cell.id!) }));
    for (const e of exp) if (!actIds.has(e.cell.id!)) pairs.push({ expected: e });
    return { by: 'id', pairs };
  }
  const pairs: CellPair[] = [];
  for (let i = 0; i < Math.max(exp.length, act.length); i++) pairs.push({ expected: exp[i], actual: act[i] });
  return { by: 'position', pairs };
}

/** The first source line that is neither blank nor only an nbval marker comment, trimmed, at most 100 characters. */
export function firstSourceLine(source: string): string {
  const lines = (source ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const isMarker = (l: string) => l.startsWith('#') && Object.hasOwn(COMMENT_MARKERS, l.replace(/^#+/, '').trim());
  const line = lines.find((l) => !isMarker(l)) ?? lines[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** Wall time of an executed cell from nbclient-style `metadata.execution` timestamps. */
export function cellDurationMs(cell: CodeCell): number | undefined {
  const ex = cell.metadata?.execution;
  if (!ex) return undefined;
  const start = Date.parse(ex['iopub.execute_input'] ?? ex['shell.execute_request'] ?? '');
  const end = Date.parse(ex['shell.execute_reply'] ?? ex['iopub.status.idle'] ?? '');
  return Number.isFinite(start) && Number.isFinite(end) && end >= start ? end - start : undefined;
}

const wasExecuted = (cell: CodeCell) => cell.execution_count !== null || cell.outputs.length > 0;

const errorsOf = (cell: CodeCell) => cell.outputs.filter((o) => o.output_type === 'error');

function markerNote(mode: CellCheckMode, kind: 'skip' | 'ignore'): string {
  const names = mode.markers.filter((m) =>
    kind === 'skip' ? /SKIP|skip/.test(m) : /IGNORE|ignore/.test(m),
  );
  return names.length ? names[names.length - 1]! : '';
}

interface Judged {
  result: CellResult;
  raised: boolean;
}

/**
 * The part both modes share: skip markers, cells never run after an error, unexpected errors.
 * Returns undefined when the cell ran cleanly (or raised as allowed) and outputs decide.
 */
function judgeRun(
  actual: Located,
  mode: CellCheckMode,
  opts: CompareOptions,
  firstError: number | undefined,
): Judged | undefined {
  const base = { cellIndex: actual.index, firstLine: firstSourceLine(actual.cell.source) };
  const durationMs = cellDurationMs(actual.cell);
  if (durationMs !== undefined) Object.assign(base, { durationMs });
  if (!mode.execute) {
    return { raised: false, result: { ...base, status: 'skipped', message: `not executed (${markerNote(mode, 'skip')})` } };
  }
  if (firstError !== undefined && !wasExecuted(actual.cell)) {
    return { raised: false, result: { ...base, status: 'skipped', message: `not executed: cell ${firstError + 1} raised an error` } };
  }
  const errors = errorsOf(actual.cell);
  if (errors.length && !mode.raisesException && !opts.allowErrors) {
    const e = errors[0]!;
    return { raised: true, result: { ...base, status: 'error', message: stripVTControlCharacters(`${e.ename}: ${e.evalue}`).split('\n')[0]! } };
  }
  return undefined;
}

function diffOutputs(expected: CodeCell, actual: CodeCell, norm: NormalizeOptions): { keys: string[]; diff: string } {
  const exp = comparableOutputs(expected.outputs, norm);
  const act = comparableOutputs(actual.outputs, norm);
  const keys = [...new Set([...exp.keys(), ...act.keys()])];
  const differing: string[] = [];
  const diffs: string[] = [];
  for (const key of keys) {
    const e = exp.get(key) ?? [];
    const a = act.get(key) ?? [];
    if (e.length === a.length && e.every((v, i) => v === a[i])) continue;
    differing.push(key);
    const markers = e.length > 1 || a.length > 1;
    const label = key === ERROR_KEY ? 'error (ename: evalue)' : key;
    let d = unifiedDiff(label, joinForDiff(e, markers), joinForDiff(a, markers));
    const note = e.length === 0 ? `(expected no ${label} output)\n` : a.length === 0 ? `(got no ${label} output)\n` : '';
    if (note) d = d.replace(/^--- .*\n\+\+\+ .*\n/, (head) => head + note);
    diffs.push(d.endsWith('\n') ? d : `${d}\n`);
  }
  return { keys: differing, diff: diffs.join('') };
}

/**
 * One result per code cell: `passed`, `failed` (outputs differ, or no partner cell), `error`
 * (raised while not marked to raise) or `skipped`.
 *
 * Ignored: execution counts, cell and output metadata, `transient`, tracebacks. Compared after
 * sanitizing: merged stream text per stream name, text/plain, text/html, text/latex,
 * text/markdown, JSON mime types (key order ignored); images only with `compareImages`.
 * Errors compare as `ename: evalue`. Markers are read from the executed cell.
 */
export function compareNotebooks(expected: Notebook, actual: Notebook, opts: CompareOptions = {}): CellResult[] {
  const norm: NormalizeOptions = { compareImages: !!opts.compareImages, sanitizers: resolveSanitizers(opts) };
  const { by, pairs } = pairCells(expected, actual, opts.excludeTags ?? DEFAULT_EXCLUDE_TAGS);
  const results: CellResult[] = [];
  let firstError: number | undefined;
  for (const pair of pairs) {
    const { expected: e, actual: a } = pair;
    const subject = (a ?? e)!;
    const mode = cellCheckMode(subject.cell, opts.lax);
    const base: CellResult = { cellIndex: subject.index, firstLine: firstSourceLine(subject.cell.source), status: 'passed' };
    if (!a) {
      if (!mode.execute) results.push({ ...base, status: 'skipped', message: `not executed (${markerNote(mode, 'skip')})` });
      else results.push({ ...base, status: 'failed', message: by === 'id'
        ? `the executed notebook has no cell with id ${JSON.stringify(subject.cell.id)}`
        : 'the executed notebook has fewer code cells than the expected one' });
      continue;
    }
    const judged = judgeRun(a, mode, opts, firstError);
    if (judged) {
      if (judged.raised && firstError === undefined) firstError = a.index;
      results.push(judged.result);
      continue;
    }
    const r: CellResult = { ...base };
    const durationMs = cellDurationMs(a.cell);
    if (durationMs !== undefined) r.durationMs = durationMs;
    if (!e) {
      results.push({ ...r, status: 'failed', message: by === 'id'
        ? 'no cell with this id in the expected notebook (new cell? re-record the golden)'
        : 'the expected notebook has fewer code cells than the executed one' });
      continue;
    }
    if (!mode.compareOutputs) {
      const why = markerNote(mode, 'ignore') || (opts.lax ? 'lax: not marked NBVAL_CHECK_OUTPUT' : '');
      results.push({ ...r, message: `output not compared${why ? ` (${why})` : ''}` });
      continue;
    }
    if (!wasExecuted(e.cell)) {
      results.push({ ...r, message: 'output not compared: the expected cell was never executed' });
      continue;
    }
    const { keys, diff } = diffOutputs(e.cell, a.cell, norm);
    if (keys.length === 0) {
      results.push(r);
      continue;
    }
    let message = `outputs differ: ${keys.join(', ')}`;
    if (e.cell.source.trim() !== a.cell.source.trim()) message += ' (the cell source differs from the expected notebook too)';
    results.push({ ...r, status: 'failed', diff, message });
  }
  return results;
}

/**
 * Smoke mode (`--smoke`, nbmake's check): no expected notebook, only whether each code cell ran
 * without an unexpected error. Cells are `passed`, `error` or `skipped`.
 */
export function checkExecuted(actual: Notebook, opts: Pick<CompareOptions, 'allowErrors' | 'excludeTags'> = {}): CellResult[] {
  const results: CellResult[] = [];
  let firstError: number | undefined;
  for (const a of codeCells(actual, opts.excludeTags ?? DEFAULT_EXCLUDE_TAGS)) {
    const mode = cellCheckMode(a.cell, false);
    const judged = judgeRun(a, mode, opts, firstError);
    if (judged) {
      if (judged.raised && firstError === undefined) firstError = a.index;
      results.push(judged.result);
      continue;
    }
    const r: CellResult = { cellIndex: a.index, firstLine: firstSourceLine(a.cell.source), status: 'passed' };
    const durationMs = cellDurationMs(a.cell);
    if (durationMs !== undefined) r.durationMs = durationMs;
    results.push(r);
  }
  return results;
}

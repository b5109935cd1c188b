// The query behind `run-notebook results`: load, --where, --group_by, --sort, --columns.
import { UsageError } from '../../errors.js';
import type { JSONValue } from '../../notebook/types.js';
import { canonicalJson } from '../../config/canonical.js';
import { valueText } from '../../notebook/valueText.js';
import type { Column } from '../columns.js';
import { groupRows, type Stat } from './aggregate.js';
import { loadSweeps } from './load.js';
import { parseWhere, type Row } from './where.js';

export interface QueryOptions {
  dirs: string[];
  where?: string;
  /** Column names, each optionally prefixed with '-' (descending). */
  sort?: string[];
  groupBy?: string;
  columns?: string[];
}

/** A cell: a plain value, or mean ± std over a group. */
export type QueryValue = JSONValue | undefined | Stat;

export interface QueryResult {
  columns: string[];
  rows: Record<string, QueryValue>[];
  /** Columns whose cells are Stats. */
  statColumns: Set<string>;
}

export function isStat(c: QueryValue): c is Stat {
  return typeof c === 'object' && c !== null && !Array.isArray(c) && 'mean' in c && 'n' in c && Object.keys(c).length === 3;
}

function varying(rows: readonly Row[], name: string): boolean {
  const seen = new Set(rows.map((r) => (r[name] === undefined ? '\u0000' : canonicalJson(r[name]!))));
  return seen.size > 1;
}

function defaultColumns(all: readonly Column[], rows: readonly Row[]): string[] {
  const params = all.filter((c) => c.kind === 'param');
  const shownParams = params.filter((c) => varying(rows, c.name));
  const out = ['sweep', 'index', 'status', 'exec_sec'].filter((n) => all.some((c) => c.name === n));
  out.push(...(shownParams.length ? shownParams : params).map((c) => c.name));
  out.push(...all.filter((c) => c.kind === 'result').map((c) => c.name));
  if (rows.some((r) => r.error !== undefined)) out.push('error');
  return out;
}

export function queryResults(o: QueryOptions): QueryResult {
  const { columns, rows: loaded } = loadSweeps(o.dirs);
  const names = columns.map((c) => c.name);
  const known = (what: string, n: string) => {
    if (!names.includes(n)) throw new UsageError(`${what}: unknown column "${n}"; columns: ${names.join(', ')}`);
  };
  let rows = o.where ? loaded.filter(parseWhere(o.where, names)) : loaded;

  let out: Record<string, QueryValue>[];
  let shown: string[];
  const statColumns = new Set<string>();
  if (o.groupBy) {
    known('--group_by', o.groupBy);
    const over = columns.find((c) => c.name === o.groupBy)!;
    if (over.kind !== 'param') throw new UsageError(`--group_by: "${o.groupBy}" is not a parameter; parameters: ${columns.filter((c) => c.kind === 'param').map((c) => c.name).join(', ') || '(none)'}`);
    const keyCols = [...(names.includes('sweep') ? ['sweep'] : []), ...columns.filter((c) => c.kind === 'param' && c.name !== o.groupBy).map((c) => c.name)];
    const resultCols = columns.filter((c) => c.kind === 'result').map((c) => c.name);
    const numeric = [...resultCols, 'exec_sec', 'start_sec', 'total_sec'];
    const groups = groupRows(rows, o.groupBy, keyCols, numeric);
    out = groups.map((g) => {
      const r: Record<string, QueryValue> = { ...g.key, n: g.runs, succeeded: g.succeeded, [o.groupBy!]: g.over as JSONValue };
      for (const c of numeric) r[c] = g.stats[c];
      return r;
    });
    for (const c of numeric) statColumns.add(c);
    const groupNames = ['n', 'succeeded', o.groupBy, ...numeric];
    const shownKeys = keyCols.filter((k) => k === 'sweep' || varying(rows, k));
    shown = o.columns ?? [...shownKeys, 'n', 'succeeded', ...resultCols.filter((c) => g0HasNumbers(groups, c)), 'exec_sec'];
    for (const c of shown) if (!groupNames.includes(c) && !keyCols.includes(c)) throw new UsageError(`--columns: "${c}" is not a column of the grouped table; columns: ${[...keyCols, ...groupNames].join(', ')}`);
  } else {
    out = rows as Record<string, QueryValue>[];
    shown = o.columns ?? defaultColumns(columns, rows);
    for (const c of shown) known('--columns', c);
  }
  for (const s of o.sort ?? []) known('--sort', s.replace(/^-/, ''));
  if (o.sort?.length) out = sortRows(out, o.sort);
  return { columns: shown, rows: out, statColumns };
}

function g0HasNumbers(groups: ReturnType<typeof groupRows>, c: string): boolean {
  return groups.some((g) => g.stats[c] !== undefined);
}

function sortKey(c: QueryValue): number | string | undefined {
  if (c === undefined) return undefined;
  if (isStat(c)) return c.mean;
  if (typeof c === 'number') return c;
  return valueText(c as JSONValue);
}

/** Stable sort by each key in turn; missing values last in either direction. */
export function sortRows<T extends Record<string, QueryValue>>(rows: readonly T[], keys: readonly string[]): T[] {
  const specs = keys.map((k) => (k.startsWith('-') ? { col: k.slice(1), dir: -1 } : { col: k, dir: 1 }));
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      for (const { col, dir } of specs) {
        const x = sortKey(a.r[col]);
        const y = sortKey(b.r[col]);
        if (x === undefined || y === undefined) {
          if (x !== y) return x === undefined ? 1 : -1;
          continue;
        }
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        if (c) return c * dir;
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
}

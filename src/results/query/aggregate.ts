// --group_by PARAM: average over PARAM (typically a seed). One group per combination of
// the other parameters' values, in order of first appearance; for each result column the
// mean, the sample standard deviation (n − 1; none for a single value) and n, over the
// group's runs that recorded a number for it.
import type { JSONValue } from '../../notebook/types.js';
import { canonicalJson } from '../../config/canonical.js';
import type { Row } from './where.js';

export interface Stat {
  mean: number;
  std: number | null;
  n: number;
}

export interface Group {
  /** The group's values of the columns it is keyed by (every parameter but the averaged one, and `sweep`). */
  key: Row;
  /** Runs in the group, and how many of them succeeded. */
  runs: number;
  succeeded: number;
  /** The averaged parameter's values, in order of appearance. */
  over: JSONValue[];
  stats: Record<string, Stat | undefined>;
}

export function stat(values: readonly number[]): Stat | undefined {
  const n = values.length;
  if (!n) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: null, n };
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(v), n };
}

export function groupRows(rows: readonly Row[], over: string, keyColumns: readonly string[], resultColumns: readonly string[]): Group[] {
  const groups = new Map<string, { key: Row; rows: Row[] }>();
  for (const r of rows) {
    const key: Row = {};
    for (const k of keyColumns) if (k !== over) key[k] = r[k];
    const id = canonicalJson(keyColumns.filter((k) => k !== over).map((k) => (r[k] === undefined ? '\u0000missing' : r[k]!)) as JSONValue);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()].map((g) => {
    const stats: Record<string, Stat | undefined> = {};
    for (const c of resultColumns) {
      stats[c] = stat(g.rows.map((r) => r[c]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    }
    const seen = new Map<string, JSONValue>();
    for (const r of g.rows) if (r[over] !== undefined) seen.set(canonicalJson(r[over]!), r[over]!);
    return { key: g.key, runs: g.rows.length, succeeded: g.rows.filter((r) => r.status === 'success').length, over: [...seen.values()], stats };
  });
}

// The summary's columns, one naming rule for summary.csv, summary.sqlite and
// `run-notebook results`: the run's own columns first, then one per parameter and one
// per recorded result, each under its own name unless that name is taken. A parameter
// whose name is one of the run columns becomes `param.<name>`; a result whose name is a
// run column or a parameter's column becomes `result.<name>`. A qualified name that is
// still taken gets `#2`, `#3`, ... appended, so every header is unique.
import type { JSONValue } from '../notebook/types.js';

export { valueText } from '../notebook/valueText.js';

/** The run's own columns, in file order: these come first, `error` comes last. */
export const RUN_COLUMNS = ['index', 'name', 'status', 'this_run', 'attempts', 'start_sec', 'exec_sec', 'total_sec', 'server', 'host', 'tags', 'description'] as const;
export const TRAILING_COLUMNS = ['error'] as const;

export type ColumnKind = 'run' | 'param' | 'result';

export interface Column {
  /** The header: unique among all columns. */
  name: string;
  kind: ColumnKind;
  /** The run field, parameter key or result key it shows. */
  key: string;
}

export interface ColumnSource {
  params: Record<string, JSONValue>;
  results: Record<string, JSONValue>;
}

/** Parameter and result keys in order of first appearance over `rows`. */
export function summaryColumns(rows: readonly ColumnSource[], runColumns: readonly string[] = RUN_COLUMNS, trailing: readonly string[] = TRAILING_COLUMNS): Column[] {
  const taken = new Set<string>([...runColumns, ...trailing]);
  const cols: Column[] = runColumns.map((k) => ({ name: k, kind: 'run', key: k }));
  const unique = (wanted: string, qualified: string): string => {
    if (!taken.has(wanted)) return wanted;
    let name = qualified;
    for (let n = 2; taken.has(name); n++) name = `${qualified}#${n}`;
    return name;
  };
  for (const key of unionKeys(rows.map((r) => r.params))) {
    const name = unique(key, `param.${key}`);
    taken.add(name);
    cols.push({ name, kind: 'param', key });
  }
  for (const key of unionKeys(rows.map((r) => r.results))) {
    const name = unique(key, `result.${key}`);
    taken.add(name);
    cols.push({ name, kind: 'result', key });
  }
  for (const k of trailing) cols.push({ name: k, kind: 'run', key: k });
  return cols;
}

export function unionKeys(objs: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const o of objs) for (const k of Object.keys(o ?? {})) keys.add(k);
  return [...keys];
}

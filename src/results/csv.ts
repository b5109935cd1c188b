// summary.csv: one line per config, the columns of columns.ts. A missing value is an
// empty cell; JSON null is `None`, booleans `True`/`False`; lists and mappings are JSON
// with Python's None/True/False; tags are joined with ';'.
import { summaryColumns, valueText, type Column } from './columns.js';
import type { SummaryRow } from './types.js';
import type { JSONValue } from '../notebook/types.js';

export function cellValue(row: SummaryRow, col: Column): JSONValue | undefined {
  if (col.kind === 'param') return row.params[col.key];
  if (col.kind === 'result') return row.results[col.key];
  const v = (row as unknown as Record<string, JSONValue | undefined>)[col.key];
  return v === null ? undefined : v;
}

export function toCsv(rows: readonly SummaryRow[]): string {
  const cols = summaryColumns(rows);
  const lines = [cols.map((c) => csvCell(c.name)).join(',')];
  for (const r of rows) {
    lines.push(cols.map((c) => csvCell(c.key === 'tags' && c.kind === 'run' ? r.tags.join(';') : valueText(cellValue(r, c)))).join(','));
  }
  return lines.join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

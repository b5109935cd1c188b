// Printing a query result: an aligned terminal table, CSV, JSON or a markdown table.
import type { JSONValue } from '../../notebook/types.js';
import { valueText } from '../../notebook/valueText.js';
import { isStat, type QueryValue, type QueryResult } from './query.js';

export const FORMATS = ['table', 'csv', 'json', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** 6 significant digits for the eye; CSV and JSON keep full precision. */
export function shortNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(6)));
}

function display(c: QueryValue, max = 60): string {
  let s: string;
  if (isStat(c)) s = c.std === null ? shortNumber(c.mean) : `${shortNumber(c.mean)} ± ${shortNumber(c.std)}`;
  else if (typeof c === 'number') s = shortNumber(c);
  else if (Array.isArray(c) && c.every((x) => typeof x === 'string')) s = c.join(';');
  else s = valueText(c as JSONValue | undefined);
  s = s.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const numeric = (c: QueryValue) => typeof c === 'number' || isStat(c);

export function formatResult(r: QueryResult, format: Format): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c, row[c] ?? null]))), null, 1) + '\n';
    case 'csv':
      return csv(r);
    case 'markdown': {
      const esc = (s: string) => s.replace(/\|/g, '\\|');
      const lines = [`| ${r.columns.map(esc).join(' | ')} |`, `|${r.columns.map((c) => (r.rows.some((x) => numeric(x[c])) ? '---:' : '---')).join('|')}|`];
      for (const row of r.rows) lines.push(`| ${r.columns.map((c) => esc(display(row[c], 200))).join(' | ')} |`);
      return lines.join('\n') + '\n';
    }
    case 'table':
      return table(r);
  }
}

function table(r: QueryResult): string {
  const cells = r.rows.map((row) => r.columns.map((c) => display(row[c])));
  const width = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const right = r.columns.map((c) => r.rows.some((x) => numeric(x[c])) && r.rows.every((x) => x[c] === undefined || numeric(x[c])));
  const line = (vals: string[]) => vals.map((v, i) => (right[i] ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ').trimEnd();
  const out = [line(r.columns), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

function csv(r: QueryResult): string {
  const header: string[] = [];
  for (const c of r.columns) {
    if (r.statColumns.has(c)) header.push(`${c}.mean`, `${c}.std`, `${c}.n`);
    else header.push(c);
  }
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [header.map(q).join(',')];
  for (const row of r.rows) {
    const vals: string[] = [];
    for (const c of r.columns) {
      const v = row[c];
      if (r.statColumns.has(c)) {
        const s = isStat(v) ? v : undefined;
        vals.push(s ? String(s.mean) : '', s && s.std !== null ? String(s.std) : '', s ? String(s.n) : '');
      } else vals.push(Array.isArray(v) && c === 'tags' ? v.join(';') : valueText(v as JSONValue | undefined));
    }
    lines.push(vals.map(q).join(','));
  }
  return lines.join('\n') + '\n';
}

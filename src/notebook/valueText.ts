// One spelling for parameter and result values wherever they are shown as text (run
// names, the index page, summary.csv, `run-notebook results`): Python's None, True and
// False; numbers as JavaScript prints them (the shortest text that reads back the same);
// strings as they are; lists and mappings as JSON with None/True/False inside.
import { isLosslessNumber } from './exactJson.js';
import type { JSONValue } from './types.js';

export function valueText(v: JSONValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return pythonic(v);
}

function pythonic(v: JSONValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (isLosslessNumber(v)) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonic).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonic(x)}`).join(', ')}}`;
}

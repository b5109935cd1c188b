// Golden mode compares the results a run recorded (record(name, value)) with the golden's,
// kept beside the golden notebook in `result_<idx>/results.json` (written by --update_golden)
// or, for a trusted dst_dir used as goldens, in its `run.json`. Numbers, also inside lists and
// mappings, match when |got − expected| <= atol + rtol·|expected| (numpy.isclose's rule);
// everything else must be equal.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONValue } from '../notebook/types.js';
import { valueText } from '../notebook/valueText.js';
import { indentedCanonicalJson } from './normalize.js';

export interface Tolerance {
  rtol: number;
  atol: number;
}

export const GOLDEN_RESULTS_FILE = 'results.json';

/** Where --update_golden writes a config's results: `<goldenDir>/result_<idx>/results.json`. */
export function goldenResultsPath(goldenDir: string, configIndex: number): string {
  return join(goldenDir, `result_${configIndex}`, GOLDEN_RESULTS_FILE);
}

/** The golden's recorded results, or undefined when it has none on file. */
export function goldenResults(goldenDir: string, configIndex: number): Record<string, JSONValue> | undefined {
  const dir = join(goldenDir, `result_${configIndex}`);
  for (const [file, pick] of [
    [GOLDEN_RESULTS_FILE, (d: { results?: unknown }) => d.results],
    ['run.json', (d: { results?: unknown }) => d.results],
  ] as const) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      const r = pick(JSON.parse(readFileSync(path, 'utf8')) as { results?: unknown });
      if (r && typeof r === 'object' && !Array.isArray(r)) return r as Record<string, JSONValue>;
    } catch {
      /* an unreadable file is no golden */
    }
  }
  return undefined;
}

export function goldenResultsFile(results: Record<string, JSONValue>): string {
  const sorted: Record<string, JSONValue> = {};
  for (const k of Object.keys(results).sort()) sorted[k] = results[k]!;
  return JSON.stringify({ results: sorted }, null, 1) + '\n';
}

function close(exp: JSONValue, got: JSONValue, t: Tolerance): boolean {
  if (typeof exp === 'number' && typeof got === 'number') return exp === got || Math.abs(got - exp) <= t.atol + t.rtol * Math.abs(exp);
  if (Array.isArray(exp) && Array.isArray(got)) return exp.length === got.length && exp.every((e, i) => close(e, got[i]!, t));
  if (exp && got && typeof exp === 'object' && typeof got === 'object' && !Array.isArray(exp) && !Array.isArray(got)) {
    const ka = Object.keys(exp).sort();
    const kb = Object.keys(got).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && close(exp[k]!, got[k]!, t));
  }
  return indentedCanonicalJson(exp) === indentedCanonicalJson(got);
}

const short = (v: JSONValue) => {
  const s = valueText(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

/** One line per recorded result that differs, is missing or is new; empty when all match. */
export function compareResults(expected: Record<string, JSONValue>, got: Record<string, JSONValue>, t: Tolerance): string[] {
  const out: string[] = [];
  for (const [k, e] of Object.entries(expected)) {
    if (!(k in got)) out.push(`${k}: expected ${short(e)}, not recorded`);
    else if (!close(e, got[k]!, t)) {
      const g = got[k]!;
      const delta = typeof e === 'number' && typeof g === 'number' ? ` (difference ${valueText(Math.abs(g - e))}, allowed ${valueText(t.atol + t.rtol * Math.abs(e))})` : '';
      out.push(`${k}: expected ${short(e)}, got ${short(g)}${delta}`);
    }
  }
  for (const k of Object.keys(got)) if (!(k in expected)) out.push(`${k}: recorded ${short(got[k]!)}, not in the golden`);
  return out;
}

/** The one notebook-level line for results that differ from the golden's, or undefined when they match. */
export function resultsMismatch(expected: Record<string, JSONValue>, got: Record<string, JSONValue>, t: Tolerance): string | undefined {
  const differ = compareResults(expected, got, t);
  return differ.length ? `recorded results differ from the golden: ${differ.join('; ')}` : undefined;
}

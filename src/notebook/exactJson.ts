// JSON whose numbers keep their Python meaning. A JS number loses two kinds: integral
// floats (`1.0` becomes 1, an int to Python) and integers beyond 2^53 (rounded). Those
// are carried as lossless-json's LosslessNumber (its text, canonical Python form); every
// other number stays a plain number, so most values are unchanged.

import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { pythonFloatRepr, rememberNumberText } from './pyjson.js';
import type { JSONValue } from './types.js';

export { isLosslessNumber, LosslessNumber };

/** A JSON value in which some numbers may be LosslessNumbers. */
export type ExactJSON = null | boolean | number | string | LosslessNumber | ExactJSON[] | { [key: string]: ExactJSON };

const INT_TEXT = /^[-+]?\d+$/;

/**
 * The number for a numeric text: a plain number when it says the same in JS and in Python,
 * else a LosslessNumber holding the canonical Python text (`1.0`, `1e+16`, `-0.0`, `12345678901234567890`).
 */
export function exactNumber(text: string, isInt = INT_TEXT.test(text.trim())): number | LosslessNumber {
  const t = text.trim();
  if (isInt) {
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : new LosslessNumber(BigInt(t.replace(/^\+/, '')).toString());
  }
  const x = Number(t);
  return Number.isFinite(x) && Number.isInteger(x) ? new LosslessNumber(pythonFloatRepr(x)) : x;
}

/** JSON text -> an ExactJSON value (throws SyntaxError as JSON.parse does). */
export function parseExact(text: string): ExactJSON {
  return parse(text, null, (t) => exactNumber(t)) as ExactJSON;
}

/** An ExactJSON value -> JSON text with every number as written (as JSON.stringify otherwise). */
export function stringifyExact(value: unknown, space?: number): string {
  return stringify(value, null, space) ?? 'null';
}

/** The plain JSON value (LosslessNumbers as JS numbers, possibly rounded). */
export function toPlain(value: ExactJSON): JSONValue {
  if (isLosslessNumber(value)) return Number((value as LosslessNumber).value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JSONValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v as ExactJSON);
    return out;
  }
  return value as JSONValue;
}

/** Whether a value holds any LosslessNumber (i.e. its plain form would lose something). */
export function hasExactNumbers(value: unknown): boolean {
  if (isLosslessNumber(value)) return true;
  if (Array.isArray(value)) return value.some(hasExactNumbers);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasExactNumbers);
  return false;
}

/**
 * The plain value for a notebook field: LosslessNumbers become JS numbers whose exact text
 * the notebook writer remembers, so the saved .ipynb holds `1.0` and every digit.
 */
export function toNotebookValue(value: ExactJSON): JSONValue {
  const plain = (v: ExactJSON, container: object, key: string | number): JSONValue => {
    if (isLosslessNumber(v)) {
      const text = (v as LosslessNumber).value;
      const n = Number(text);
      rememberNumberText(container, key, n, text);
      return n;
    }
    return toNotebookValue(v);
  };
  if (Array.isArray(value)) {
    const out: JSONValue[] = [];
    value.forEach((v, i) => out.push(plain(v, out, i)));
    return out;
  }
  if (value !== null && typeof value === 'object' && !isLosslessNumber(value)) {
    const out: { [key: string]: JSONValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v as ExactJSON, out, k);
    return out;
  }
  return toPlain(value);
}

// Readable run names from the swept parameters: `lr=0.1,seed=3`.
import { canonicalJson } from './canonical.js';
import { isLosslessNumber } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';
import { valueText } from '../notebook/valueText.js';

const MAX_VALUE = 24;
const MAX_NAME = 100;

/** Every leaf of a JSON form, nested object keys joined with '.'; arrays are leaves.
 *  A non-object JSON form has no params. */
export function flattenParams(json: JSONValue | null): Record<string, JSONValue> {
  const out: Record<string, JSONValue> = {};
  const walk = (v: JSONValue, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
    } else {
      out[path] = v;
    }
  };
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) walk(v, k);
  }
  return out;
}

/** Keys whose value is not the same in every config (a missing key counts as a value), in
 *  order of first appearance. Keys whose last part starts with '_' are left out. */
export function varyingParamKeys(configs: ReadonlyArray<{ params: Record<string, JSONValue> }>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const c of configs) {
    for (const k of Object.keys(c.params)) {
      if (!seen.has(k)) {
        seen.add(k);
        order.push(k);
      }
    }
  }
  return order.filter((k) => {
    if (lastPart(k).startsWith('_')) return false;
    const values = new Set(configs.map((c) => (k in c.params ? canonicalJson(c.params[k]!) : '\u0000missing')));
    return values.size > 1;
  });
}

function lastPart(key: string): string {
  const i = key.lastIndexOf('.');
  return i < 0 ? key : key.slice(i + 1);
}

/** For dotted keys, the shortest suffix (in whole parts) that no other key shares:
 *  `model.lr` and `optim.lr` stay whole, a lone `optim.momentum` becomes `momentum`. */
export function shortKeys(keys: readonly string[]): Map<string, string> {
  const parts = keys.map((k) => k.split('.'));
  const out = new Map<string, string>();
  keys.forEach((key, i) => {
    const p = parts[i]!;
    for (let n = 1; n <= p.length; n++) {
      const suffix = p.slice(-n).join('.');
      const clash = parts.some((q, j) => j !== i && q.slice(-n).join('.') === suffix);
      if (!clash || n === p.length) {
        out.set(key, suffix);
        break;
      }
    }
  });
  return out;
}

/** A parameter value as it appears in a name: numbers and strings plain, None/True/False
 *  as Python spells them, lists and mappings as JSON with those, long values cut with '…'. */
export function formatParamValue(v: JSONValue): string {
  const text = typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : valueText(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export interface NameInput {
  index: number;
  params: Record<string, JSONValue>;
  /** A name the config gives itself (`_name`), used as is. */
  nameHint?: string | null;
}

/** Names for a plan's configs, in the same order: `key=value` for each parameter that varies
 *  across the configs, joined with ','; `_name` when a config has one; `config_<idx>` when
 *  nothing varies. Names that still collide get `#<idx>` appended. */
export function runNames(configs: readonly NameInput[]): string[] {
  const varying = varyingParamKeys(configs);
  const short = shortKeys(varying);
  const names = configs.map((c) => {
    if (c.nameHint && c.nameHint.trim()) return c.nameHint.trim();
    const parts = varying.filter((k) => k in c.params).map((k) => `${short.get(k)}=${formatParamValue(c.params[k]!)}`);
    if (parts.length === 0) return `config_${c.index}`;
    const name = parts.join(',');
    return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
  });
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => ((count.get(n) ?? 0) > 1 ? `${n}#${configs[i]!.index}` : n));
}

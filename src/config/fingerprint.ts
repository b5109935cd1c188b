import { stringify as yamlStringify } from 'yaml';
import { canonicalJson } from './canonical.js';
import type { JSONValue } from '../notebook/types.js';
import type { PlannedConfig } from './types.js';

/** Config keys that describe a run instead of parameterising it: shown as tags and a
 *  description in the index and on the run page, never in names or parameter columns,
 *  and (for mapping configs of a sweep file) left out of the fingerprint. */
export const TAGS_KEY = '_tags';
export const DESCRIPTION_KEY = '_description';
const DESCRIPTIVE_KEYS = [TAGS_KEY, DESCRIPTION_KEY];

function withoutDescriptiveKeys(json: JSONValue | null): JSONValue | null {
  if (!json || typeof json !== 'object' || Array.isArray(json) || !DESCRIPTIVE_KEYS.some((k) => k in json)) return json;
  const out: Record<string, JSONValue> = {};
  for (const [k, v] of Object.entries(json)) if (!DESCRIPTIVE_KEYS.includes(k)) out[k] = v;
  return out;
}

/** A stable string for a config, part of the incremental fingerprint: the canonical JSON
 *  form (keys sorted) and the repr. Both, because the JSON form flattens objects without
 *  to_dict() to a fixed string, while their repr shows the attributes that changed.
 *  The name and index are left out, and so are `_tags` and `_description` of a mapping
 *  whose repr is derived from its JSON form (sweep files): editing them does not make a
 *  run stale. A Python builder's repr is the object's own and still holds them. */
export function configFingerprintPart(c: Pick<PlannedConfig, 'json' | 'repr'>): string {
  const json = withoutDescriptiveKeys(c.json);
  const repr = json !== c.json && c.repr === yamlStringify(c.json).trimEnd() ? yamlStringify(json).trimEnd() : c.repr;
  return `json:${json !== null ? canonicalJson(json) : 'null'}\nrepr:${repr}`;
}

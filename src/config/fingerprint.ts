import { canonicalJson } from './canonical.js';
import type { PlannedConfig } from './types.js';

/** A stable string for a config, part of the incremental fingerprint: the canonical JSON
 *  form (keys sorted) and the repr. Both, because the JSON form flattens objects without
 *  to_dict() to a fixed string, while their repr shows the attributes that changed.
 *  The name and index are left out. */
export function configFingerprintPart(c: Pick<PlannedConfig, 'json' | 'repr'>): string {
  return `json:${c.json !== null ? canonicalJson(c.json) : 'null'}\nrepr:${c.repr}`;
}

import { canonicalJson } from './canonical.js';
import type { PlannedConfig } from './types.js';

/** A stable string for a config, part of the incremental fingerprint: the canonical JSON
 *  form (keys sorted) when there is one, else the repr. The name and index are left out. */
export function configFingerprintPart(c: Pick<PlannedConfig, 'json' | 'repr'>): string {
  return c.json !== null ? `json:${canonicalJson(c.json)}` : `repr:${c.repr}`;
}

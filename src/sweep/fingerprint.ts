// A run is up to date when it succeeded and this fingerprint still matches: the
// notebook's source (no outputs), the config, the builder and the kernel.
import { createHash } from 'node:crypto';

export function runFingerprint(parts: { notebookDigest: string; config: string; builder: string; kernel: string }): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([parts.notebookDigest, parts.config, parts.builder, parts.kernel]));
  return h.digest('hex').slice(0, 16);
}

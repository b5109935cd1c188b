// A run's artifacts for its page: each file's path relative to the result folder, and for
// small images a thumbnail as a data: URI (the page makes no request; the link still
// points at the file, relatively).
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml' };
const MAX_THUMBNAIL_BYTES = 512 * 1024;
const MAX_THUMBNAILS = 24;

export function imageType(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

/** `files` relative to dstDir (as listArtifacts gives them) → entries relative to `runDir`. */
export function pageArtifacts(dstDir: string, runDir: string, files: readonly string[]): { path: string; thumbnail?: string }[] {
  let thumbs = 0;
  return files.map((f) => {
    const full = join(dstDir, f);
    const path = relative(runDir, full).replace(/\\/g, '/');
    const type = imageType(f);
    if (!type || thumbs >= MAX_THUMBNAILS) return { path };
    try {
      if (statSync(full).size > MAX_THUMBNAIL_BYTES) return { path };
      thumbs++;
      return { path, thumbnail: `data:${type};base64,${readFileSync(full).toString('base64')}` };
    } catch {
      return { path };
    }
  });
}

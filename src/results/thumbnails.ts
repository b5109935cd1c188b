// One small picture per run for the index page: the first image file the run wrote into
// its folder, else the first image output of its notebook (a plot). It is scaled down
// with sharp (libvips, prebuilt in its npm packages) and embedded as a data: URI, so the
// page stays one file that makes no request; its link points at the full image (the
// file, relative to index.html) or at the run's page. Without sharp (a platform with no
// prebuilt build) there are no thumbnails, and nothing else changes.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrorMarker, parseNotebook } from '../notebook/index.js';
import { imageType } from './artifacts.js';

/** Fits inside this box, in CSS pixels (drawn at half that size, sharp on 2x screens). */
export const THUMBNAIL_BOX = { width: 144, height: 96 };
/** Sources past this size are not decoded (a 50 MB image stays a link). */
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const OUTPUT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'];

export interface Thumbnail {
  /** data:image/webp;base64,… */
  src: string;
  width: number;
  height: number;
  /** What it shows: the file (relative to dst_dir) or "output of cell N". */
  of: string;
  /** The file it was made from, relative to dst_dir; absent for a notebook output. */
  file?: string;
}

type Sharp = (typeof import('sharp'))['default'];
let loading: Promise<Sharp | undefined> | undefined;

function loadSharp(): Promise<Sharp | undefined> {
  // Loaded only once a run has an image (libvips adds tens of MB to the runner); one
  // thread and no cache: a thumbnail is small work, and the kernels need the cores.
  loading ??= import('sharp').then(
    (m) => {
      m.default.concurrency(1);
      m.default.cache(false);
      return m.default;
    },
    () => undefined,
  );
  return loading as Promise<Sharp | undefined>;
}

/** The first image output of a notebook's code cells, as bytes, with its cell's number (from 1). */
export function firstImageOutput(notebookPath: string): { bytes: Buffer; cell: number } | undefined {
  let nb;
  try {
    nb = parseNotebook(readFileSync(notebookPath, 'utf8'), notebookPath);
  } catch {
    return undefined;
  }
  let n = 0;
  for (const cell of nb.cells) {
    // Cells numbered as the user counts them (as `check` and the compare panel do).
    const tags = Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
    if (isErrorMarker(cell) || tags.includes('injected-parameters')) continue;
    n++;
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs) {
      if (!('data' in out) || !out.data) continue;
      const data = out.data as Record<string, unknown>;
      const type = OUTPUT_TYPES.find((t) => t in data);
      if (!type) continue;
      const raw = data[type];
      const text = Array.isArray(raw) ? raw.join('') : String(raw ?? '');
      if (!text) continue;
      // nbformat keeps raster images as base64 and SVG as text.
      return { bytes: type === 'image/svg+xml' ? Buffer.from(text, 'utf8') : Buffer.from(text.replace(/\s+/g, ''), 'base64'), cell: n };
    }
  }
  return undefined;
}

/** The run's thumbnail, or undefined (no image, an image that does not decode, no sharp). */
export async function runThumbnail(dstDir: string, artifacts: readonly string[], notebookPath: string | undefined): Promise<Thumbnail | undefined> {
  const candidates: (() => Promise<{ bytes: Buffer; of: string; file?: string } | undefined>)[] = [];
  for (const f of artifacts) {
    if (!imageType(f)) continue;
    candidates.push(async () => {
      const full = join(dstDir, f);
      if ((await stat(full)).size > MAX_SOURCE_BYTES) return undefined;
      return { bytes: await readFile(full), of: f, file: f };
    });
  }
  if (notebookPath) {
    candidates.push(async () => {
      const out = firstImageOutput(notebookPath);
      return out && out.bytes.length <= MAX_SOURCE_BYTES ? { bytes: out.bytes, of: `output of cell ${out.cell}` } : undefined;
    });
  }
  for (const next of candidates) {
    try {
      const source = await next();
      if (!source) continue;
      const sharp = await loadSharp();
      if (!sharp) return undefined;
      const { data, info } = await sharp(source.bytes, { animated: false, limitInputPixels: 100_000_000 })
        .resize(THUMBNAIL_BOX.width, THUMBNAIL_BOX.height, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .webp({ quality: 60 })
        .toBuffer({ resolveWithObject: true });
      return { src: `data:image/webp;base64,${data.toString('base64')}`, width: info.width, height: info.height, of: source.of, ...(source.file ? { file: source.file } : {}) };
    } catch {
      // Not an image after all (or a broken one): try the next.
    }
  }
  return undefined;
}

// Embedding images: cell attachments and local files next to the notebook become data URIs,
// so the page never reaches for a file or the network when it is opened.

import { readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import type { MimeBundle } from '../notebook/types.js';
import { escapeAttr, escapeHtml, textOf } from './text.js';

const IMAGE_EXT: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.ico': 'image/x-icon',
};

/** Largest local image we embed; anything bigger is left as a note. */
const MAX_LOCAL_IMAGE_BYTES = 50 * 1024 * 1024;

export interface ImageContext {
  notebookDir?: string;
  /** The attachments of the cell being rendered. */
  attachments?: { [name: string]: MimeBundle };
  cache: Map<string, string | null>;
}

/** base64 data from a notebook mime bundle, without the line breaks nbformat may keep in it. */
export function cleanBase64(v: unknown): string {
  const s = textOf(v);
  return /\s/.test(s) ? s.replace(/\s+/g, '') : s;
}

/** Strict base64 (standard alphabet, padded): what nbformat stores for raster images. */
export function isBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

/**
 * A data URI for base64 image data from a notebook, or undefined when the data is not a
 * string of valid base64: untrusted data never reaches an attribute unchecked.
 */
export function rasterDataUri(mime: string, value: unknown): string | undefined {
  if (typeof value !== 'string' && !Array.isArray(value)) return undefined;
  const b64 = cleanBase64(value);
  return isBase64(b64) ? `data:${mime};base64,${b64}` : undefined;
}

/** The visible stand-in for image data that is not valid base64. */
export function badImageNote(mime: string, what = 'output'): string {
  return `<span class="rn-note rn-bad-image" role="img" aria-label="invalid image">[${escapeHtml(what)}: ${escapeHtml(mime)} data is not valid base64, not shown]</span>`;
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** An attachment's data URI; `{ bad: mime }` when its data is not valid base64. */
function attachmentUri(bundle: MimeBundle): string | { bad: string } | undefined {
  for (const mime of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']) {
    if (bundle[mime] !== undefined) return rasterDataUri(mime, bundle[mime]) ?? { bad: mime };
  }
  if (bundle['image/svg+xml'] !== undefined) return svgDataUri(textOf(bundle['image/svg+xml']));
  return undefined;
}

/**
 * Resolves an image `src` to a data URI: `attachment:name` from the cell's attachments,
 * a relative path from the notebook's folder. Returns undefined when it cannot (remote
 * URL, missing file, not an image); the caller decides what to show instead.
 */
export function embedImageSrc(src: string, ctx: ImageContext): string | undefined {
  const r = resolveImageSrc(src, ctx);
  return typeof r === 'string' ? r : undefined;
}

function resolveImageSrc(src: string, ctx: ImageContext): string | { bad: string } | undefined {
  const s = src.trim();
  if (s.startsWith('data:')) return s;
  if (s.startsWith('attachment:')) {
    let name = s.slice('attachment:'.length);
    try {
      name = decodeURIComponent(name);
    } catch {
      /* keep as written */
    }
    const bundle = ctx.attachments?.[name] ?? ctx.attachments?.[s.slice('attachment:'.length)];
    return bundle ? attachmentUri(bundle) : undefined;
  }
  if (!ctx.notebookDir) return undefined;
  // Only plain relative paths: no scheme, no protocol-relative or absolute path.
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) || s.startsWith('/') || s.startsWith('\\')) return undefined;
  let rel = s.replace(/[?#].*$/, '');
  try {
    rel = decodeURIComponent(rel);
  } catch {
    /* keep as written */
  }
  if (isAbsolute(rel)) return undefined;
  const mime = IMAGE_EXT[extname(rel).toLowerCase()];
  if (!mime) return undefined;
  const path = resolve(ctx.notebookDir, rel);
  const cached = ctx.cache.get(path);
  if (cached !== undefined) return cached ?? undefined;
  let uri: string | null = null;
  try {
    const st = statSync(path);
    if (st.isFile() && st.size <= MAX_LOCAL_IMAGE_BYTES) {
      uri = `data:${mime};base64,${readFileSync(path).toString('base64')}`;
    }
  } catch {
    uri = null;
  }
  ctx.cache.set(path, uri);
  return uri ?? undefined;
}

/**
 * Rewrites the `src` of every `<img>` in an HTML fragment through embedImageSrc.
 * Sources that cannot be embedded are left as they are (the sanitizer replaces them
 * with a note unless the page is trusted); an attachment whose data is not valid base64
 * becomes a visible note instead of its image.
 */
export function embedImagesInHtml(html: string, ctx: ImageContext): string {
  if (!/<img\b/i.test(html)) return html;
  return html.replace(/<img\b[^>]*>/gi, (tag) => {
    const m = /(\ssrc\s*=\s*)(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    if (!m) return tag;
    const raw = decodeEntities(m[2] ?? m[3] ?? '');
    if (raw.startsWith('data:')) return tag;
    const uri = resolveImageSrc(raw, ctx);
    if (uri === undefined) return tag;
    if (typeof uri !== 'string') return badImageNote(uri.bad, raw);
    return tag.slice(0, m.index) + `${m[1]}"${escapeAttr(uri)}"` + tag.slice(m.index + m[0].length);
  });
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

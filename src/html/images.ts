// Embedding images: cell attachments and local files next to the notebook become data URIs,
// so the page never reaches for a file or the network when it is opened.

import { readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import type { MimeBundle } from '../notebook/types.js';
import { joinText } from './text.js';

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
  const s = joinText(v);
  return /\s/.test(s) ? s.replace(/\s+/g, '') : s;
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

function attachmentUri(bundle: MimeBundle): string | undefined {
  for (const mime of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']) {
    if (bundle[mime] !== undefined) return `data:${mime};base64,${cleanBase64(bundle[mime])}`;
  }
  if (bundle['image/svg+xml'] !== undefined) return svgDataUri(joinText(bundle['image/svg+xml']));
  return undefined;
}

/**
 * Resolves an image `src` to a data URI: `attachment:name` from the cell's attachments,
 * a relative path from the notebook's folder. Returns undefined when it cannot (remote
 * URL, missing file, not an image); the caller decides what to show instead.
 */
export function embedImageSrc(src: string, ctx: ImageContext): string | undefined {
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
 * with a note unless the page is trusted).
 */
export function embedImagesInHtml(html: string, ctx: ImageContext): string {
  if (!/<img\b/i.test(html)) return html;
  return html.replace(/(<img\b[^>]*?\ssrc\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi, (whole, pre: string, dq?: string, sq?: string) => {
    const raw = decodeEntities(dq ?? sq ?? '');
    if (raw.startsWith('data:')) return whole;
    const uri = embedImageSrc(raw, ctx);
    return uri ? `${pre}"${uri}"` : whole;
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

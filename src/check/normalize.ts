// Outputs -> what gets compared. One cell's outputs become a map from a key (`stdout`,
// `stderr`, `error`, or a mime type) to the list of sanitized texts under that key, in
// output order. As in nbval, order matters among outputs that share a key, not across
// keys: a stream flushed before or after a display is not a regression.

import { createHash } from 'node:crypto';
import { isJsonMime } from '../notebook/index.js';
import type { JSONValue, Output } from '../notebook/types.js';
import { applySanitizers, type Sanitizer } from './sanitize.js';

/** Text mime types that are compared (besides JSON ones and, with compareImages, images). */
export const COMPARED_TEXT_MIMES: readonly string[] = ['text/plain', 'text/html', 'text/latex', 'text/markdown'];

/** Never compared: hold per-run random ids and no result of their own (their text/plain is compared). */
export const NEVER_COMPARED_MIMES: readonly string[] = ['application/vnd.jupyter.widget-view+json'];

export function isComparedMime(mime: string, compareImages: boolean): boolean {
  if (NEVER_COMPARED_MIMES.includes(mime)) return false;
  if (mime.startsWith('image/')) return compareImages;
  return COMPARED_TEXT_MIMES.includes(mime) || isJsonMime(mime);
}

/** Key under which errors are compared, as `ename: evalue`. */
export const ERROR_KEY = 'error';

export interface NormalizeOptions {
  compareImages: boolean;
  sanitizers: readonly Sanitizer[];
}

/**
 * What a terminal or Jupyter shows for stream text: `\r\n` is a newline, a `\r` inside a line
 * erases what came before it on that line, a backspace erases the character before it.
 */
export function normalizeStreamText(text: string): string {
  let out = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const trimmed = line.replace(/\r+$/, '');
      const cr = trimmed.lastIndexOf('\r');
      return cr >= 0 ? trimmed.slice(cr + 1) : trimmed;
    })
    .join('\n');
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/[^\n\x08]\x08/g, '');
  }
  return out.replace(/\x08/g, '');
}

function joinText(value: JSONValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return indentedCanonicalJson(value);
}

/** JSON with sorted keys and 2-space indent, so key order never matters and diffs are per line. */
export function indentedCanonicalJson(value: JSONValue): string {
  const sort = (v: JSONValue): JSONValue => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const o: { [k: string]: JSONValue } = {};
      for (const k of Object.keys(v).sort()) o[k] = sort(v[k]!);
      return o;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2);
}

function jsonText(value: JSONValue): string {
  if (typeof value === 'string') {
    try {
      return indentedCanonicalJson(JSON.parse(value) as JSONValue);
    } catch {
      return value;
    }
  }
  return indentedCanonicalJson(value);
}

/** A binary image stands in the diff as its size and hash; equal summaries mean equal bytes. */
function imageSummary(mime: string, value: JSONValue): string {
  const b64 = joinText(value).replace(/\s+/g, '');
  const bytes = Buffer.from(b64, 'base64');
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return `<${mime}: ${bytes.length} bytes, sha256 ${hash}>`;
}

function mimeValue(mime: string, value: JSONValue, opts: NormalizeOptions): string {
  if (mime.startsWith('image/')) {
    if (mime === 'image/svg+xml') return applySanitizers(joinText(value), opts.sanitizers);
    return imageSummary(mime, value);
  }
  const text = isJsonMime(mime) ? jsonText(value) : joinText(value);
  return applySanitizers(text, opts.sanitizers);
}

export function comparableOutputs(outputs: readonly Output[], opts: NormalizeOptions): Map<string, string[]> {
  const keyed = new Map<string, string[]>();
  const push = (key: string, value: string) => {
    const list = keyed.get(key);
    if (list) list.push(value);
    else keyed.set(key, [value]);
  };
  const streams = new Map<string, string>();
  for (const out of outputs) {
    switch (out.output_type) {
      case 'stream': {
        // Streams of one name are merged into one text, placed at the first one's position.
        const name = out.name;
        if (!streams.has(name)) keyed.set(name, []);
        streams.set(name, (streams.get(name) ?? '') + joinText(out.text as JSONValue));
        break;
      }
      case 'display_data':
      case 'execute_result':
        for (const [mime, value] of Object.entries(out.data ?? {})) {
          if (isComparedMime(mime, opts.compareImages)) push(mime, mimeValue(mime, value, opts));
        }
        break;
      case 'error':
        push(ERROR_KEY, applySanitizers(`${out.ename}: ${out.evalue}`, opts.sanitizers));
        break;
    }
  }
  for (const [name, text] of streams) {
    const clean = applySanitizers(normalizeStreamText(text), opts.sanitizers);
    if (clean === '') keyed.delete(name);
    else keyed.set(name, [clean]);
  }
  return keyed;
}

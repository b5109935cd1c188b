// Multiline strings as nbformat stores them: joined to one string in memory, split into
// a list of lines on disk. The rules below follow Python nbformat's v4 `split_lines` /
// `rejoin_lines` so that our files are byte-identical to the ones Python writes.

import type { JSONValue, MimeBundle } from './types.js';

/** JSON mime types (`application/json`, `application/*+json`) hold structured values, never split or joined. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

const NON_TEXT_SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** Mime types whose string values are written as a list of lines. */
export function isSplitMime(mime: string): boolean {
  return mime.startsWith('text/') || NON_TEXT_SPLIT_MIMES.has(mime);
}

// Python's str.splitlines() line boundaries.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's `s.splitlines(True)`: lines keep their ends; "" gives []. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(text); m !== null; m = LINE_BREAK.exec(text)) {
    const end = m.index + m[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** True for a list made only of strings (the on-disk form of a multiline string). */
export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Join the split values of a mime bundle in place (JSON mime types stay as they are). */
export function joinMimeBundle(bundle: MimeBundle): MimeBundle {
  for (const [mime, value] of Object.entries(bundle)) {
    if (!isJsonMime(mime) && isStringList(value)) bundle[mime] = value.join('');
  }
  return bundle;
}

/** Join a value that may be a list of lines. */
export function joinText(value: JSONValue | undefined): JSONValue | undefined {
  return isStringList(value) ? value.join('') : value;
}

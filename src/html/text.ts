// Small text helpers: HTML escaping, terminal control characters, ANSI colours.

import { AnsiUp } from 'ansi_up';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Escapes for use inside a double-quoted attribute. */
export const escapeAttr = escapeHtml;

/** Joins nbformat multiline values defensively (in memory they are strings; on disk, arrays of lines). */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join('');
  if (v === undefined || v === null) return '';
  return String(v);
}

/**
 * Applies `\r` and `\b` the way a terminal would, so progress bars (tqdm and friends)
 * show their final state instead of every intermediate one.
 */
export function applyTerminalControls(text: string): string {
  if (text.includes('\r')) text = fixCarriageReturns(text);
  if (text.includes('\b')) text = fixBackspaces(text);
  return text;
}

function fixCarriageReturns(text: string): string {
  const lines = text.replace(/\r+\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('\r')) continue;
    // Each segment after a \r overwrites the line from its first column.
    let out = '';
    for (const seg of line.split('\r')) {
      out = seg.length >= out.length ? seg : seg + out.slice(seg.length);
    }
    lines[i] = out;
  }
  return lines.join('\n');
}

function fixBackspaces(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') {
      if (out.length > 0 && out[out.length - 1] !== '\n') out.pop();
    } else out.push(ch);
  }
  return out.join('');
}

// eslint-disable-next-line no-control-regex
const HAS_ANSI = /\x1b/;

/**
 * Terminal text -> HTML: escapes it and turns ANSI SGR colours into spans with
 * `ansi-*` classes (the palette lives in the page CSS, so it follows light/dark).
 */
export function ansiToHtml(text: string): string {
  text = applyTerminalControls(text);
  if (!HAS_ANSI.test(text)) return escapeHtml(text);
  const au = new AnsiUp();
  au.use_classes = true;
  // Links printed by the program stay plain text: no surprises in a shared page.
  au.url_allowlist = {};
  return au.ansi_to_html(text);
}

/** Removes ANSI escape sequences (for titles and one-line headlines). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '');
}

// Math rendering, offline.
//
// Why KaTeX (server-side) and not MathJax SVG: KaTeX is already a dependency, renders
// in well under a millisecond per formula, and its markup is small. Its one cost is
// fonts. Every run of a sweep gets its own page, so we do not inline all 20 KaTeX
// fonts (~350 kB as base64) into every page: after rendering we look at which KaTeX
// classes the page actually uses and embed only the woff2 faces those need (typically
// Main + Math italic, ~60 kB). A page without math carries no KaTeX CSS or fonts at all.
// MathJax's SVG output would need no fonts, but it adds a large dependency, is slower
// by an order of magnitude, and repeats glyph paths in every page anyway.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';

export interface MathContext {
  /** Shared across one notebook, so `\newcommand` in one cell works in later cells (as with MathJax). */
  macros: Record<string, string>;
  /** How many formulas were rendered; the page needs KaTeX's CSS only when this is > 0. */
  count: number;
  /** The distinct `class` attribute values of the rendered markup, to pick the fonts to embed. */
  classAttrs: Set<string>;
}

export function newMathContext(): MathContext {
  return { macros: {}, count: 0, classAttrs: new Set() };
}

function note(ctx: MathContext, html: string): string {
  ctx.count++;
  for (const m of html.matchAll(/class="([^"]*)"/g)) ctx.classAttrs.add(m[1]!);
  return html;
}

/** Renders TeX to KaTeX markup. A TeX error is shown inline (KaTeX's error span), never thrown. */
export function renderTex(tex: string, display: boolean, ctx: MathContext): string {
  return note(ctx, katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    // KaTeX would otherwise warn on stderr for unicode text in math mode and the like.
    strict: false,
    // `\href`, `\url`, `\includegraphics` stay off: they could point the page at the network.
    trust: false,
    macros: ctx.macros,
    globalGroup: true,
    output: 'htmlAndMathml',
  }));
}

/** Like renderTex, but returns undefined when the TeX does not parse. */
export function tryRenderTex(tex: string, display: boolean, ctx: MathContext): string | undefined {
  try {
    return note(ctx, katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      strict: false,
      trust: false,
      macros: ctx.macros,
      globalGroup: true,
      output: 'htmlAndMathml',
    }));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------
// CSS and fonts

interface FontFace {
  family: string;
  weight: 'normal' | 'bold';
  style: 'normal' | 'italic';
  file: string;
}

interface StyleRule {
  /** Class names per compound selector, outermost first (`.katex` itself left out). */
  compounds: string[][];
  family?: string;
  bold: boolean;
  italic: boolean;
}

interface KatexAssets {
  /** katex.min.css without its @font-face rules. */
  css: string;
  faces: FontFace[];
  rules: StyleRule[];
  fontDir: string;
  fontCache: Map<string, string>;
}

let assets: KatexAssets | undefined;

function loadAssets(): KatexAssets {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('katex/dist/katex.min.css'));
  const full = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  const faces: FontFace[] = [];
  for (const m of full.matchAll(/@font-face\{([^}]*)\}/g)) {
    const body = m[1]!;
    const family = /font-family:\s*"?([\w-]+)"?/.exec(body)?.[1];
    const file = /url\(fonts\/([\w-]+\.woff2)\)/.exec(body)?.[1];
    if (!family || !file) continue;
    const weight = /font-weight:\s*(700|bold)/.test(body) ? 'bold' : 'normal';
    const style = /font-style:\s*italic/.test(body) ? 'italic' : 'normal';
    faces.push({ family, weight, style, file });
  }
  const css = full.replace(/@font-face\{[^}]*\}/g, '');
  const rules: StyleRule[] = [];
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const body = m[2]!;
    const family = /font-family:\s*"?(KaTeX_[\w-]+)"?/.exec(body)?.[1];
    const bold = /font-weight:\s*(700|bold)/.test(body);
    const italic = /font-style:\s*italic/.test(body);
    if (!family && !bold && !italic) continue;
    for (const sel of m[1]!.split(',')) {
      const compounds = sel
        .split(/[\s>+~]+/)
        .map((part) => [...part.matchAll(/\.([\w-]+)/g)].map((c) => c[1]!).filter((c) => c !== 'katex'))
        .filter((c) => c.length > 0);
      if (compounds.length > 0) rules.push({ compounds, family, bold, italic });
    }
  }
  assets = { css, faces, rules, fontDir: join(dist, 'fonts'), fontCache: new Map() };
  return assets;
}

function fontDataUri(a: KatexAssets, file: string): string {
  let uri = a.fontCache.get(file);
  if (!uri) {
    uri = `data:font/woff2;base64,${readFileSync(join(a.fontDir, file)).toString('base64')}`;
    a.fontCache.set(file, uri);
  }
  return uri;
}

/**
 * The CSS a page needs for the formulas rendered through `ctx`: KaTeX's stylesheet plus
 * @font-face rules (woff2 data URIs) for just the faces that markup uses.
 * Returns '' when no formula was rendered.
 */
export function katexCss(ctx: MathContext): string {
  if (ctx.count === 0) return '';
  const a = loadAssets();
  const elements = [...ctx.classAttrs].map((attr) => new Set(attr.split(' ').filter(Boolean)));
  // A rule applies when, for each compound of its selector, one element has all its classes.
  const matches = (r: StyleRule): boolean => r.compounds.every((cs) => elements.some((el) => cs.every((c) => el.has(c))));
  // Faces wanted, as "family/weight/style". KaTeX_Main regular is the base font.
  const wantedKeys = new Set<string>(['KaTeX_Main/normal/normal']);
  let anyBold = false;
  let anyItalic = false;
  for (const r of a.rules) {
    if (!matches(r)) continue;
    if (r.family) wantedKeys.add(`${r.family}/${r.bold ? 'bold' : 'normal'}/${r.italic ? 'italic' : 'normal'}`);
    else {
      // \textbf / \textit change the weight or style of whatever family is around them.
      anyBold ||= r.bold;
      anyItalic ||= r.italic;
    }
  }
  if (anyBold || anyItalic) {
    for (const key of [...wantedKeys]) {
      const [family, weight, style] = key.split('/');
      if (anyBold) wantedKeys.add(`${family}/bold/${style}`);
      if (anyItalic) wantedKeys.add(`${family}/${weight}/italic`);
      if (anyBold && anyItalic) wantedKeys.add(`${family}/bold/italic`);
    }
  }
  const wanted = a.faces.filter((f) => wantedKeys.has(`${f.family}/${f.weight}/${f.style}`));
  const fontFaces = wanted
    .map(
      (f) =>
        `@font-face{font-family:${f.family};src:url(${fontDataUri(a, f.file)}) format("woff2");` +
        `font-weight:${f.weight};font-style:${f.style};font-display:block}`,
    )
    .join('\n');
  return `${fontFaces}\n${a.css}`;
}

// ---------------------------------------------------------------------------------
// Finding math in text (text/latex outputs; markdown uses the marked extension in markdown.ts)

export interface MathSpan {
  start: number;
  end: number;
  tex: string;
  display: boolean;
}

/**
 * Finds `$$…$$`, `\[…\]`, `\begin{env}…\end{env}`, `$…$` and `\(…\)` spans in plain
 * text, the way MathJax's default delimiters do. `\$` is a literal dollar.
 */
export function findMath(text: string): MathSpan[] {
  const spans: MathSpan[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    const found = ch === '\\' ? backslashSpan(text, i) : ch === '$' ? dollarSpan(text, i) : { next: i + 1 };
    if (found.span) spans.push(found.span);
    i = found.next;
  }
  return spans;
}

/** What starts at `i`, and where the scan goes on. */
interface Scan {
  span?: MathSpan;
  next: number;
}

/** At a backslash: `\$` (a literal dollar), `\[…\]`, `\(…\)`, `\begin{env}…\end{env}`, or any other escape. */
function backslashSpan(text: string, i: number): Scan {
  const next = text[i + 1];
  if (next === '[' || next === '(') {
    const close = next === '[' ? '\\]' : '\\)';
    const end = text.indexOf(close, i + 2);
    if (end > i + 2) return { span: { start: i, end: end + 2, tex: text.slice(i + 2, end), display: next === '[' }, next: end + 2 };
  }
  if (text.startsWith('\\begin{', i)) {
    const env = /^\\begin\{([a-zA-Z*]+)\}/.exec(text.slice(i, i + 40));
    if (env) {
      const closeTag = `\\end{${env[1]}}`;
      const end = text.indexOf(closeTag, i);
      if (end > 0) return { span: { start: i, end: end + closeTag.length, tex: text.slice(i, end + closeTag.length), display: true }, next: end + closeTag.length };
    }
  }
  return { next: i + 2 };
}

/** At a dollar: `$$…$$` or `$…$`, skipping escaped characters inside; an unclosed one is text. */
function dollarSpan(text: string, i: number): Scan {
  const display = text[i + 1] === '$';
  const open = display ? 2 : 1;
  let found = -1;
  for (let j = i + open; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '$') {
      if (!display || text[j + 1] === '$') found = j;
      break;
    }
  }
  if (found > i + open) return { span: { start: i, end: found + open, tex: text.slice(i + open, found), display }, next: found + open };
  return { next: i + open };
}

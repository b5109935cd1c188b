// Code cell outputs: MIME choice by JupyterLab's priority, and one renderer per kind.

import type { JSONObject, JSONValue, MimeBundle, Output, StreamOutput } from '../notebook/types.js';
import { highlightCode } from './highlight.js';
import { badImageNote, embedImagesInHtml, rasterDataUri, svgDataUri, type ImageContext } from './images.js';
import type { MarkdownRenderer } from './markdown.js';
import { findMath, tryRenderTex, type MathContext } from './math.js';
import { hasActiveContent, sanitizeHtml } from './sanitize.js';
import { ansiToHtml, escapeAttr, escapeHtml, textOf } from './text.js';
import { renderWidgetView, type SavedWidgets } from './widgets.js';

export interface RenderContext {
  trust: boolean;
  noInput: boolean;
  /** highlight.js language of the notebook's code cells */
  language?: string;
  math: MathContext;
  md: MarkdownRenderer;
  images: ImageContext;
  /** The notebook's saved widget state: widget views are drawn from it. */
  widgets?: SavedWidgets;
}

const RASTER = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'];

/** JupyterLab's order: html > markdown > latex > svg > raster images > (js, trusted) > json > plain. */
export function pickMime(bundle: MimeBundle, trust: boolean): string | undefined {
  const order = [
    'text/html',
    'text/markdown',
    'text/latex',
    'image/svg+xml',
    ...RASTER,
    ...(trust ? ['application/javascript', 'text/javascript'] : []),
    'application/json',
    'text/plain',
  ];
  return order.find((m) => bundle[m] !== undefined);
}

/** Streams of the same name that follow each other are shown as one, as Jupyter does. */
export function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const prev = merged[merged.length - 1];
    if (o.output_type === 'stream' && prev?.output_type === 'stream' && prev.name === o.name) {
      merged[merged.length - 1] = { ...prev, text: textOf(prev.text) + textOf(o.text) } as StreamOutput;
    } else merged.push(o);
  }
  return merged;
}

/** Lines after which a stream gets its own scroll box (printing shows it all). */
const LONG_STREAM_LINES = 120;

function countLines(s: string, stopAt: number): number {
  let n = 1;
  let i = -1;
  while ((i = s.indexOf('\n', i + 1)) !== -1) {
    if (++n > stopAt) return n;
  }
  return n;
}

function renderStream(o: StreamOutput): string {
  const text = textOf(o.text);
  const cls = o.name === 'stderr' ? 'rn-stream rn-stream-stderr' : 'rn-stream rn-stream-stdout';
  const lines = countLines(text, LONG_STREAM_LINES);
  const long = lines > LONG_STREAM_LINES;
  const body = ansiToHtml(text.endsWith('\n') ? text.slice(0, -1) : text);
  const label = o.name === 'stderr' ? ' aria-label="standard error"' : '';
  if (!long) return `<pre class="${cls}"${label}>${body}</pre>`;
  const total = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  // A scroll box that opens at its end (column-reverse): in a log the last lines matter most.
  return (
    `<div class="rn-long${o.name === 'stderr' ? ' rn-long-stderr' : ''}" tabindex="0"><pre class="${cls}"${label}>${body}</pre></div>` +
    `<div class="rn-long-note">${total.toLocaleString('en-US')} lines, shown from the end: scroll up for the rest</div>`
  );
}

function renderError(o: { ename: string; evalue: string; traceback: string[] }): string {
  const tb = Array.isArray(o.traceback) && o.traceback.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`;
  return `<div class="rn-traceback-box" role="alert"><pre class="rn-traceback">${ansiToHtml(tb)}</pre></div>`;
}

/** A positive size from untrusted metadata (a number or a numeric string), else undefined. */
function num(v: JSONValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0) return Number(v);
  return undefined;
}

function imageAttrs(mime: string, metadata: JSONObject | undefined): { attrs: string; cls: string } {
  const m = (metadata?.[mime] ?? {}) as JSONObject;
  const top = metadata ?? {};
  const width = num(m.width) ?? num(top.width as JSONValue);
  const height = num(m.height) ?? num(top.height as JSONValue);
  let attrs = '';
  if (width) attrs += ` width="${escapeAttr(String(width))}"`;
  if (height) attrs += ` height="${escapeAttr(String(height))}"`;
  let cls = 'rn-image';
  if (m.unconfined === true || top.unconfined === true) cls += ' rn-unconfined';
  const bg = (top.needs_background ?? m.needs_background) as JSONValue;
  if (bg === 'light') cls += ' rn-needs-light';
  if (bg === 'dark') cls += ' rn-needs-dark';
  return { attrs, cls };
}

function note(html: string): string {
  return `<div class="rn-note">${html}</div>`;
}

function renderLatex(text: string, ctx: RenderContext): string {
  const spans = findMath(text);
  if (spans.length === 0) {
    const whole = tryRenderTex(text, true, ctx.math);
    return whole ? `<div class="rn-latex">${whole}</div>` : `<pre class="rn-text">${escapeHtml(text)}</pre>`;
  }
  let out = '';
  let last = 0;
  for (const s of spans) {
    const tex = tryRenderTex(s.tex, s.display, ctx.math);
    // Something KaTeX cannot typeset (a tabular, say): show the LaTeX source as it is.
    if (tex === undefined) return `<pre class="rn-text">${escapeHtml(text)}</pre>`;
    out += escapeHtml(text.slice(last, s.start)) + tex;
    last = s.end;
  }
  out += escapeHtml(text.slice(last));
  return `<div class="rn-latex">${out}</div>`;
}

function renderMime(mime: string, bundle: MimeBundle, metadata: JSONObject | undefined, scope: string, ctx: RenderContext): string {
  const value = bundle[mime];
  switch (mime) {
    case 'text/html': {
      let html = embedImagesInHtml(textOf(value), ctx.images);
      if (ctx.trust) return `<div class="rn-html">${html}</div>`;
      const active = hasActiveContent(html);
      html = sanitizeHtml(html, { scope });
      const dropped = active ? note('Scripts in this output were not run. Render with <code>--trust</code> to keep them.') : '';
      return `<div class="rn-html">${html}</div>${dropped}`;
    }
    case 'text/markdown':
      return `<div class="rn-md rn-md-output">${ctx.md.render(textOf(value), { trust: ctx.trust, scope, images: ctx.images })}</div>`;
    case 'text/latex':
      return renderLatex(textOf(value), ctx);
    case 'image/svg+xml': {
      const { attrs, cls } = imageAttrs(mime, metadata);
      // Shown as an image, never inlined: scripts inside an SVG cannot run this way.
      return `<img class="${cls}" alt="SVG output" src="${svgDataUri(textOf(value))}"${attrs}>`;
    }
    case 'application/javascript':
    case 'text/javascript':
      return `<script>${textOf(value).replace(/<\/script/gi, '<\\/script')}</script>`;
    case 'application/json': {
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
      return `<pre class="rn-text rn-json"><code class="hljs language-json">${highlightCode(text, 'json')}</code></pre>`;
    }
    case 'text/plain':
      return `<pre class="rn-text">${ansiToHtml(textOf(value))}</pre>`;
    default: {
      if (RASTER.includes(mime)) {
        const uri = rasterDataUri(mime, value);
        if (!uri) return badImageNote(mime);
        const { attrs, cls } = imageAttrs(mime, metadata);
        return `<img class="${cls}" alt="output image" src="${escapeAttr(uri)}"${attrs}>`;
      }
      return '';
    }
  }
}

function unshowable(bundle: MimeBundle, ctx: RenderContext): string {
  const mimes = Object.keys(bundle);
  if (!ctx.trust && (bundle['application/javascript'] !== undefined || bundle['text/javascript'] !== undefined)) {
    return note('JavaScript output (<code>application/javascript</code>) was not run: render with <code>--trust</code> to keep it.');
  }
  if (mimes.length === 0) return note('Empty output (no data).');
  const widget = mimes.find((m) => m === 'application/vnd.jupyter.widget-view+json');
  const names = mimes.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ');
  if (widget) return note(`An interactive widget (${names}) cannot be shown in a static page.`);
  return note(`Output of type ${names} cannot be shown in this page.`);
}

/** One output, without its prompt. `scope` is the CSS selector of its container. */
export function renderOutputBody(o: Output, scope: string, ctx: RenderContext): string {
  switch (o.output_type) {
    case 'stream':
      return renderStream(o);
    case 'error':
      return renderError(o);
    case 'display_data':
    case 'execute_result': {
      const bundle = o.data ?? {};
      // A widget with saved state gets its static view; otherwise its text repr, as below.
      const widget = renderWidgetView(bundle['application/vnd.jupyter.widget-view+json'], scope, { ...ctx, renderOutput: (out, sc) => renderOutputBody(out, sc, ctx) });
      if (widget) return widget;
      const mime = pickMime(bundle, ctx.trust);
      const hasJs = bundle['application/javascript'] !== undefined || bundle['text/javascript'] !== undefined;
      // Untrusted JavaScript output: say so rather than show its "<IPython...Javascript object>" repr.
      if (!mime || (hasJs && !ctx.trust && mime === 'text/plain')) return unshowable(bundle, ctx);
      return renderMime(mime, bundle, o.metadata, scope, ctx);
    }
    default: {
      const t = (o as { output_type?: unknown }).output_type;
      return note(`Unknown output type <code>${escapeHtml(String(t))}</code>.`);
    }
  }
}

export { escapeAttr };

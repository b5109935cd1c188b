// One notebook -> one self-contained page.

import { errorMarkerKind, isErrorMarker, savedWidgetState } from '../notebook/index.js';
import type { Cell, CodeCell, JSONValue, MimeBundle, Notebook, Output } from '../notebook/types.js';
import { highlightCode, resolveLanguage } from './highlight.js';
import type { ImageContext } from './images.js';
import { createMarkdownRenderer } from './markdown.js';
import { katexCss, newMathContext } from './math.js';
import { mergeStreams, renderOutputBody, type RenderContext } from './outputs.js';
import { renderPage } from './page.js';
import { renderRunHeader } from './runHeader.js';
import { sanitizeHtml } from './sanitize.js';
import { escapeAttr, escapeHtml, textOf } from './text.js';
import type { RenderOptions } from './types.js';

function tagsOf(cell: Cell): Set<string> {
  const t = cell.metadata?.tags;
  return new Set(Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : []);
}

/** As nbconvert: language_info, else the kernelspec's language, else Python. */
export function notebookLanguage(nb: Notebook): string | undefined {
  const md = nb.metadata ?? {};
  const candidates = [md.language_info?.name, md.language_info?.pygments_lexer as string | undefined, md.kernelspec?.language, md.kernelspec?.name];
  for (const c of candidates) {
    if (typeof c === 'string' && resolveLanguage(c)) return resolveLanguage(c);
  }
  const named = [md.language_info?.name, md.kernelspec?.language].some((c) => typeof c === 'string' && c.trim() !== '');
  // A language highlight.js does not know stays plain rather than being read as Python.
  return named ? undefined : 'python';
}

/** nbconvert's `celltag_<tag>` classes, so CSS and tools written for its pages keep working. */
function cellClass(kind: string, tags: Set<string>): string {
  let s = `rn-cell rn-cell-${kind}`;
  for (const t of tags) s += ` celltag_${escapeAttr(t)}`;
  return s;
}

function prompt(kind: 'In' | 'Out', count: number | null | undefined): string {
  const n = typeof count === 'number' ? String(count) : '\u00a0';
  return `<div class="rn-prompt">${kind}\u00a0[${n}]:</div>`;
}

function hiddenBlock(label: string, inner: string): string {
  return `<details class="rn-hidden"><summary title="Hidden in the notebook; click to show">⋯ ${label}</summary>${inner}</details>`;
}

function renderCodeCell(cell: CodeCell, k: number, tags: Set<string>, ctx: RenderContext): string {
  const parts: string[] = [];
  const source = textOf(cell.source);
  const jupyterMd = cell.metadata?.jupyter ?? {};
  if (!ctx.noInput && !tags.has('remove-input')) {
    const langClass = ctx.language ? ` language-${escapeAttr(ctx.language)}` : '';
    const code = `<pre class="rn-source"><code class="hljs${langClass}">${highlightCode(source, ctx.language)}</code></pre>`;
    const body = jupyterMd.source_hidden === true ? hiddenBlock('code hidden', code) : code;
    parts.push(`<div class="rn-input">${prompt('In', cell.execution_count)}${body}</div>`);
  }
  const outputs = Array.isArray(cell.outputs) ? mergeStreams(cell.outputs) : [];
  if (!tags.has('remove-output') && outputs.length > 0) {
    const rendered = outputs.map((o: Output, j: number) => {
      const id = `cell-${k}-out-${j}`;
      const body = renderOutputBody(o, `#${id}`, ctx);
      const isResult = o.output_type === 'execute_result';
      const p = isResult ? prompt('Out', (o as { execution_count?: number | null }).execution_count ?? cell.execution_count) : '<div class="rn-prompt"></div>';
      return { id, body, p };
    });
    if (jupyterMd.outputs_hidden === true) {
      const inner = rendered.map((r) => `<div class="rn-out-body" id="${r.id}">${r.body}</div>`).join('\n');
      const n = rendered.length;
      parts.push(`<div class="rn-output"><div class="rn-prompt"></div>${hiddenBlock(n === 1 ? 'output hidden' : `${n} outputs hidden`, inner)}</div>`);
    } else {
      for (const r of rendered) parts.push(`<div class="rn-output">${r.p}<div class="rn-out-body" id="${r.id}">${r.body}</div></div>`);
    }
  }
  return `<div class="${cellClass('code', tags)}" id="cell-${k}">\n${parts.join('\n')}\n</div>`;
}

function renderMarkdownCell(cell: Cell, k: number, ctx: RenderContext, attachments: { [name: string]: MimeBundle } | undefined): string {
  ctx.images.attachments = attachments;
  const html = ctx.md.render(textOf(cell.source), { trust: ctx.trust, scope: `#cell-${k}`, images: ctx.images });
  ctx.images.attachments = undefined;
  const md = `<div class="rn-md">${html}</div>`;
  const body = cell.metadata?.jupyter?.source_hidden === true ? hiddenBlock('markdown hidden', md) : md;
  return `<div class="${cellClass('markdown', tagsOf(cell))}" id="cell-${k}"><div class="rn-prompt"></div>${body}</div>`;
}

function renderRawCell(cell: Cell, k: number, ctx: RenderContext): string {
  const md = cell.metadata ?? {};
  const fmt = String((md.raw_mimetype as JSONValue) ?? (md.format as JSONValue) ?? '').toLowerCase();
  const source = textOf(cell.source);
  let body: string;
  if (fmt === 'text/html') {
    body = `<div class="rn-md rn-html">${ctx.trust ? source : sanitizeHtml(source, { scope: `#cell-${k}` })}</div>`;
  } else if (fmt === 'text/markdown') {
    body = `<div class="rn-md">${ctx.md.render(source, { trust: ctx.trust, scope: `#cell-${k}`, images: ctx.images })}</div>`;
  } else {
    body = `<pre class="rn-raw">${escapeHtml(source)}</pre>`;
  }
  return `<div class="${cellClass('raw', tagsOf(cell))}" id="cell-${k}"><div class="rn-prompt"></div>${body}</div>`;
}

function renderCell(cell: Cell, k: number, ctx: RenderContext): string {
  const tags = tagsOf(cell);
  if (tags.has('remove-cell')) return `<div class="rn-cell rn-cell-removed" id="cell-${k}"></div>`;
  switch (cell.cell_type) {
    case 'code':
      return renderCodeCell(cell, k, tags, ctx);
    case 'markdown':
      return renderMarkdownCell(cell, k, ctx, cell.attachments);
    case 'raw':
      if (ctx.noInput || tags.has('remove-input')) return `<div class="rn-cell rn-cell-removed" id="cell-${k}"></div>`;
      return renderRawCell(cell, k, ctx);
    default:
      return `<div class="rn-cell rn-cell-removed" id="cell-${k}"></div>`;
  }
}

/**
 * Where the run header's banner points, and how it names the cell. The cell index is
 * that of the saved notebook; when the notebook carries run-notebook's error markers, the
 * cell right after the anchor marker is the failing one. The label counts cells as a reader
 * of the notebook without markers would, like the marker's own text ("cell 6 (In [5])").
 */
export function failingCellRef(cells: Cell[], err: { cellIndex: number; anchorId?: string }): { href: string; label: string } {
  const anchor = cells.findIndex((c) => errorMarkerKind(c) === 'anchor');
  const idx = anchor >= 0 && anchor + 1 < cells.length ? anchor + 1 : err.cellIndex;
  const cell = cells[idx];
  const href = err.anchorId ?? `cell-${idx}`;
  if (!cell) return { href, label: `cell ${err.cellIndex + 1}` };
  const ordinal = 1 + cells.slice(0, idx).filter((c) => !isErrorMarker(c)).length;
  const count = cell.cell_type === 'code' && typeof cell.execution_count === 'number' ? ` (In [${cell.execution_count}])` : '';
  return { href, label: `cell ${ordinal}${count}` };
}

function pageTitle(nb: Notebook, opts: RenderOptions): string {
  if (opts.title) return opts.title;
  const t = nb.metadata?.title;
  return typeof t === 'string' && t.trim() ? t.trim() : 'Notebook';
}

/** Renders a notebook as one self-contained HTML page (no network needed to view it). */
export function renderNotebookHtml(nb: Notebook, opts: RenderOptions = {}): string {
  const trust = opts.trust === true;
  const noInput = opts.noInput === true;
  const math = newMathContext();
  const images: ImageContext = { notebookDir: opts.notebookDir, cache: new Map() };
  const ctx: RenderContext = {
    trust,
    noInput,
    language: notebookLanguage(nb),
    math,
    md: createMarkdownRenderer(math),
    images,
    widgets: savedWidgetState(nb),
  };
  const title = pageTitle(nb, opts);
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  const body: string[] = [];

  const kernel = nb.metadata?.kernelspec?.display_name ?? nb.metadata?.kernelspec?.name ?? nb.metadata?.language_info?.name;
  const meta = [`<span class="rn-doc-title">${escapeHtml(title)}</span>`];
  if (typeof kernel === 'string' && kernel) meta.push(`<span>${escapeHtml(kernel)}</span>`);
  body.push(`<header class="rn-doc-meta">${meta.join('')}</header>`);
  if (opts.runHeader) {
    const err = opts.runHeader.error;
    body.push(renderRunHeader(opts.runHeader, err ? failingCellRef(cells, err) : undefined));
  }

  body.push('<div class="rn-cells">');
  cells.forEach((cell, k) => body.push(renderCell(cell, k, ctx)));
  body.push('</div>');
  body.push(
    `<footer class="rn-footer">Rendered by run-notebook · ${
      trust ? 'trusted: HTML and JavaScript outputs kept as they are' : 'untrusted outputs sanitized, scripts not run'
    }</footer>`,
  );

  return renderPage({
    title: opts.runHeader && opts.runHeader.status !== 'success' ? `${title} (${opts.runHeader.status.replace(/_/g, ' ')})` : title,
    body: body.join('\n'),
    extraCss: katexCss(math),
    noCsp: trust,
    bodyClass: noInput ? 'rn-noprompts' : undefined,
  });
}

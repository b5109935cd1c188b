// The page of one experiment run (a Python function per config, no notebook): the run
// header (config, status, banner), the recorded results, and what the function printed
// or displayed, with ANSI colours and IPython's highlighted traceback.

import type { Output } from '../notebook/types.js';
import { formatValue } from './format.js';
import type { ImageContext } from './images.js';
import { createMarkdownRenderer } from './markdown.js';
import { katexCss, newMathContext } from './math.js';
import { mergeStreams, renderOutputBody, type RenderContext } from './outputs.js';
import { renderPage } from './page.js';
import { renderRunHeader } from './runHeader.js';
import { escapeAttr, escapeHtml } from './text.js';
import type { RunHeader } from './types.js';

export interface ExperimentPage {
  /** Page title, e.g. "train.run · lr=0.1". */
  title: string;
  /** The experiment builder, MODULE.FUNCTION. */
  target: string;
  kernel?: string;
  header: RunHeader;
  results: Record<string, unknown>;
  /** The last attempt's outputs: streams, displays, and the error with its traceback. */
  outputs: Output[];
  /** Link to the full log of every attempt, relative to the page. */
  logHref?: string;
  trust?: boolean;
  /** Folder for relative images in HTML/markdown outputs. */
  dir?: string;
}

const TRACEBACK_ID = 'traceback';

export function renderExperimentHtml(p: ExperimentPage): string {
  const trust = p.trust === true;
  const math = newMathContext();
  const images: ImageContext = { notebookDir: p.dir, cache: new Map() };
  const ctx: RenderContext = { trust, noInput: false, language: 'python', math, md: createMarkdownRenderer(math), images };
  const body: string[] = [];
  const meta = [`<span class="rn-doc-title">${escapeHtml(p.title)}</span>`, `<span>experiment <code>${escapeHtml(p.target)}</code></span>`];
  if (p.kernel) meta.push(`<span>${escapeHtml(p.kernel)}</span>`);
  body.push(`<header class="rn-doc-meta">${meta.join('')}</header>`);

  const outputs = mergeStreams(p.outputs);
  const hasTraceback = outputs.some((o) => o.output_type === 'error');
  const where = p.header.error ? { href: hasTraceback ? TRACEBACK_ID : 'output', label: 'the experiment', linkText: hasTraceback ? 'Go to the traceback ↓' : 'Go to the output ↓' } : undefined;
  body.push(renderRunHeader(p.header, where));

  const keys = Object.keys(p.results);
  body.push('<section class="rn-exp-section" aria-label="Results"><h2>Results</h2>');
  if (keys.length) {
    const rows = keys.map((k) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(formatValue(p.results[k], 4000))}</td></tr>`).join('');
    body.push(`<table class="rn-kv">${rows}</table>`);
  } else body.push('<p class="rn-exp-none">Nothing recorded.</p>');
  body.push('</section>');

  body.push(`<section class="rn-exp-section" id="output" aria-label="Output"><h2>Output</h2>`);
  if (!outputs.length) body.push('<p class="rn-exp-none">The function printed nothing.</p>');
  outputs.forEach((o, j) => {
    const id = o.output_type === 'error' ? TRACEBACK_ID : `out-${j}`;
    body.push(`<div class="rn-out-body rn-exp-output" id="${escapeAttr(id)}">${renderOutputBody(o, `#${id}`, ctx)}</div>`);
  });
  if (p.logHref) body.push(`<p class="rn-exp-log"><a href="${escapeAttr(p.logHref)}">Full log of every attempt</a></p>`);
  body.push('</section>');
  body.push(`<footer class="rn-footer">Rendered by run-notebook · ${trust ? 'trusted: HTML and JavaScript outputs kept as they are' : 'untrusted outputs sanitized, scripts not run'}</footer>`);

  const css = `.rn-exp-section { margin: 18px 0; } .rn-exp-section h2 { font-size: 15px; margin: 0 0 8px; } .rn-exp-output { margin: 0 0 8px; } .rn-exp-none { color: var(--muted); }`;
  return renderPage({
    title: p.header.status !== 'success' ? `${p.title} (${p.header.status.replace(/_/g, ' ')})` : p.title,
    body: body.join('\n'),
    extraCss: css + katexCss(math),
    noCsp: trust,
  });
}

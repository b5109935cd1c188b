// The card at the top of a sweep run's page: name, status, duration, attempts, the
// config (collapsible) and, when the run did not succeed, a banner linking to the cell.

import { formatDuration, formatValue, statusLabel, statusPill } from './format.js';
import { highlightCode } from './highlight.js';
import { escapeAttr, escapeHtml, stripAnsi } from './text.js';
import type { RunHeader } from './types.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function configPreview(h: RunHeader): string {
  let s = '';
  if (isPlainObject(h.configJson)) {
    s = Object.entries(h.configJson)
      .map(([k, v]) => `${k}=${formatValue(v, 24)}`)
      .join(', ');
  } else if (h.configText) {
    s = h.configText.split('\n')[0] ?? '';
  } else if (h.configJson !== undefined) {
    s = formatValue(h.configJson, 100);
  }
  if (s.length > 110) s = `${s.slice(0, 109)}…`;
  return s ? `<span class="rn-config-preview">${escapeHtml(s)}</span>` : '';
}

function renderConfig(h: RunHeader): string {
  if (h.configText === undefined && h.configJson === undefined) return '';
  const inner: string[] = [];
  if (isPlainObject(h.configJson) && Object.keys(h.configJson).length > 0) {
    const rows = Object.entries(h.configJson)
      .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v, 2000))}</td></tr>`)
      .join('');
    inner.push(`<table class="rn-kv">${rows}</table>`);
  }
  if (h.configText !== undefined && h.configText !== '') {
    inner.push(`<pre class="rn-text rn-source"><code>${escapeHtml(h.configText)}</code></pre>`);
  } else if (h.configJson !== undefined && !isPlainObject(h.configJson)) {
    const json = JSON.stringify(h.configJson, null, 2) ?? String(h.configJson);
    inner.push(`<pre class="rn-text rn-source"><code class="hljs language-json">${highlightCode(json, 'json')}</code></pre>`);
  }
  return `<details class="rn-config"><summary>Configuration ${configPreview(h)}</summary>${inner.join('\n')}</details>`;
}

const BAD = new Set(['failed', 'kernel_died']);

function renderBanner(h: RunHeader, where: FailingCellRef | undefined): string {
  if (h.status === 'success') return '';
  const err = h.error;
  const cls = BAD.has(h.status) ? 'rn-banner' : 'rn-banner rn-banner-warn';
  const what = h.status === 'failed' ? 'Failed' : statusLabel(h.status).replace(/^./, (c) => c.toUpperCase());
  if (!err) {
    return `<div class="${cls}" role="alert"><div><strong>${escapeHtml(what)}</strong>: this run did not finish successfully.</div></div>`;
  }
  const ref = where ?? { href: err.anchorId ?? `cell-${err.cellIndex}`, label: `cell ${err.cellIndex + 1}` };
  const headline = stripAnsi(err.headline ?? '').trim();
  return (
    `<div class="${cls}" role="alert"><div><strong>${escapeHtml(what)}</strong> in ${escapeHtml(ref.label)}` +
    (headline ? `: <span class="rn-headline">${escapeHtml(headline)}</span>` : '') +
    ` <a href="#${escapeAttr(ref.href)}">${escapeHtml(ref.linkText ?? 'Go to the failing cell ↓')}</a></div></div>`
  );
}

/** Where the banner links and how it names the failing cell (see failingCellRef). */
export interface FailingCellRef {
  href: string;
  label: string;
  /** The link's text (default: "Go to the failing cell ↓"). */
  linkText?: string;
}

export function renderRunHeader(h: RunHeader, where?: FailingCellRef): string {
  const facts: string[] = [];
  const d = formatDuration(h.durationSec);
  if (d) facts.push(`<span>Duration <b>${d}</b></span>`);
  const k = formatDuration(h.kernelStartSec);
  if (k) facts.push(`<span>Kernel start <b>${k}</b></span>`);
  if (h.attempts !== undefined) facts.push(`<span>Attempts <b>${h.attempts}</b></span>`);
  if (h.kernel) facts.push(`<span>Kernel <b>${escapeHtml(h.kernel)}</b>${h.python ? ` <code class="rn-python">${escapeHtml(h.python)}</code>` : ''}</span>`);
  const tags = h.tags?.length ? `<div class="rn-tags">${h.tags.map((t) => `<span class="rn-tag">${escapeHtml(t)}</span>`).join('')}</div>` : '';
  const description = h.description ? `<p class="rn-description">${escapeHtml(h.description)}</p>` : '';
  return (
    `<section class="rn-run" aria-label="Run">` +
    `<div class="rn-run-top"><span class="rn-run-name"><span class="rn-run-index">#${h.index}</span> ${escapeHtml(h.name)}</span>` +
    `${statusPill(h.status)}<div class="rn-run-facts">${facts.join('')}</div></div>` +
    tags +
    description +
    renderBanner(h, where) +
    renderArtifacts(h.artifacts) +
    renderConfig(h) +
    `</section>`
  );
}

/** Files the run wrote, linked relatively (the folder can be moved or zipped); images as thumbnails. */
function renderArtifacts(files: RunHeader['artifacts']): string {
  if (!files?.length) return '';
  const items = files.map((f) => {
    const href = f.path.split('/').map(encodeURIComponent).join('/');
    const thumb = f.thumbnail ? `<img class="rn-thumb" src="${escapeAttr(f.thumbnail)}" alt="">` : '';
    return `<li><a href="${escapeAttr(href)}">${thumb}<span>${escapeHtml(f.path)}</span></a></li>`;
  });
  return `<details class="rn-artifacts" open><summary>Files written by the run (${files.length})</summary><ul>${items.join('')}</ul></details>`;
}

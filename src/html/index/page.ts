// The sweep's index.html, an analysis page: summary chips, a filter box, tag and status
// chips, charts of every numeric result against a chosen parameter (ECharts) and parallel
// coordinates, a full-width table with results first and the index frozen, grouping over a
// parameter (mean ± std, n), best values highlighted, two runs compared side by side with a
// cell-by-cell output diff. Everything is drawn by the page's own script from embedded data;
// without JavaScript a plain table of every run remains.
import { formatDuration, formatValue, statusLabel, statusPill } from '../format.js';
import { renderPage } from '../page.js';
import { escapeAttr, escapeHtml } from '../text.js';
import type { SweepIndex, SweepIndexRow } from '../types.js';
import { CLIENT_JS } from './client.js';
import { INDEX_CSS } from './styles.js';
import { vendorScripts } from './vendor.js';

const STATUS_ORDER = ['success', 'failed', 'timeout', 'kernel_died', 'interrupted', 'cancelled', 'aborted', 'running', 'not_run'];

function keysOf(rows: SweepIndexRow[], pick: (r: SweepIndexRow) => Record<string, unknown> | undefined): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(pick(r) ?? {})) seen.add(k);
  return [...seen];
}

function wallTime(startedAt?: string, endedAt?: string): number | undefined {
  if (!startedAt || !endedAt) return undefined;
  const a = Date.parse(startedAt);
  const b = Date.parse(endedAt);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
}

function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** JSON for a <script type="application/json"> block: nothing in it can close the element. */
function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Without JavaScript: every run, its status, parameters and results, as plain text. */
function fallbackTable(rows: SweepIndexRow[], params: string[], results: string[]): string {
  const head = ['#', 'Name', 'Status', 'Duration', ...results, ...params, 'Error'].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => {
      const name = r.htmlHref ? `<a href="${escapeAttr(r.htmlHref)}">${escapeHtml(r.name)}</a>` : escapeHtml(r.name);
      const nb = r.notebookHref ? ` <a class="rn-file" href="${escapeAttr(r.notebookHref)}">ipynb</a>` : '';
      const vals = [...results.map((k) => r.results[k]), ...params.map((k) => r.params[k])].map((v) => `<td>${v === undefined ? '' : escapeHtml(formatValue(v, 60))}</td>`);
      return `<tr><td>${r.index}</td><td>${name}${nb}</td><td>${statusPill(r.status)}</td><td>${formatDuration(r.durationSec)}</td>${vals.join('')}<td>${escapeHtml(r.error ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<div class="rn-table-wrap"><table class="rn-table rn-plain"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The counters at the top: runs, one button per status (a filter), the wall time. */
function statusChips(rows: SweepIndex['rows'], data: SweepIndex): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const statuses = [...counts.keys()].sort((a, b) => {
    const ia = STATUS_ORDER.indexOf(a);
    const ib = STATUS_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const chips = [`<div class="rn-chip"><b>${rows.length}</b><span>runs</span></div>`];
  for (const s of statuses) {
    chips.push(`<button type="button" class="rn-chip rn-chip-${escapeAttr(s)}" data-term="status=${escapeAttr(s)}" title="show only ${escapeAttr(statusLabel(s))} runs"><b>${counts.get(s)}</b><span>${escapeHtml(statusLabel(s))}</span></button>`);
  }
  const wall = wallTime(data.startedAt, data.endedAt);
  if (wall !== undefined) chips.push(`<div class="rn-chip"><b>${formatDuration(wall)}</b><span>wall time</span></div>`);
  return chips;
}

/** The data the page's script draws from (short keys: the rows are embedded in every page). */
function pagePayload(data: SweepIndex, rows: SweepIndex['rows'], o: { params: string[]; results: string[]; reloadSec: number; anyTags: boolean }) {
  return {
    live: data.live === true,
    reloadSec: o.reloadSec,
    outputsCut: data.outputsCut === true,
    params: o.params,
    results: o.results,
    anyTags: o.anyTags,
    anyFiles: rows.some((r) => r.artifacts?.length),
    anyThumbs: rows.some((r) => r.thumbnail),
    anyError: rows.some((r) => r.error),
    // Shown only when runs went to more than one server (or host).
    manyServers: new Set(rows.map((r) => r.server).filter(Boolean)).size > 1,
    manyHosts: new Set(rows.map((r) => r.host).filter(Boolean)).size > 1,
    rows: rows.map((r) => ({
      i: r.index,
      auto: r.name,
      ...(r.customName ? { n: r.customName } : {}),
      s: r.status,
      d: r.durationSec ?? null,
      k: r.startSec ?? null,
      a: r.attempts,
      ...(r.server ? { sv: r.server } : {}),
      ...(r.host ? { ho: r.host } : {}),
      p: r.params,
      r: r.results,
      ...(r.tags?.length ? { t: r.tags } : {}),
      ...(r.htmlHref ? { h: r.htmlHref } : {}),
      ...(r.notebookHref ? { nb: r.notebookHref } : {}),
      ...(r.error ? { e: r.error } : {}),
      ...(r.artifacts?.length ? { f: r.artifacts } : {}),
      ...(r.outputs?.length ? { o: r.outputs } : {}),
      ...(r.thumbnail ? { im: r.thumbnail } : {}),
    })),
  };
}

export function renderSweepIndexHtml(data: SweepIndex): string {
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const params = keysOf(rows, (r) => r.params);
  const results = keysOf(rows, (r) => r.results);

  const chips = statusChips(rows, data);

  const tagCounts = new Map<string, number>();
  for (const r of rows) for (const t of r.tags ?? []) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
  const tagChips = [...tagCounts].map(([t, n]) => `<button type="button" class="rn-tag rn-tag-chip" data-term="tags=${escapeAttr(/\s/.test(t) ? JSON.stringify(t) : t)}">${escapeHtml(t)} <span>${n}</span></button>`);

  const meta = [`<span class="rn-doc-title">${escapeHtml(data.title)}</span>`, `<span>notebook <code>${escapeHtml(data.notebook)}</code></span>`];
  if (data.startedAt) meta.push(`<span>started ${escapeHtml(formatTime(data.startedAt))}</span>`);
  if (data.endedAt) meta.push(`<span>ended ${escapeHtml(formatTime(data.endedAt))}</span>`);
  const reloadSec = data.reloadSec ?? 5;
  const live = data.live ? `<p class="rn-live" role="status">The sweep is running: this page reloads every ${reloadSec} s until it ends.</p>` : '';

  // Parameters with one value for every run are listed once, not as columns.
  const fixed = params.filter((k) => {
    const vals = new Set(rows.map((r) => (k in r.params ? JSON.stringify(r.params[k]) : '\u0000')));
    return vals.size === 1;
  });
  const fixedLine = fixed.length && rows.length > 1 ? `<p class="rn-fixed">Same in every run: ${fixed.map((k) => `<code>${escapeHtml(k)}=${escapeHtml(formatValue(rows[0]!.params[k], 40))}</code>`).join(' ')}</p>` : '';

  const payload = pagePayload(data, rows, { params, results, reloadSec, anyTags: tagCounts.size > 0 });

  const controls =
    `<section class="rn-controls" aria-label="Filter and view">` +
    `<label class="rn-filter"><span>Filter</span><input id="rn-filter" type="search" autocomplete="off" spellcheck="false" placeholder="text, lr=0.1, accuracy>0.9, status=failed, tags=baseline   (press / to focus)"></label>` +
    `<label><span>Average over</span><select id="rn-group"></select></label>` +
    `<label><span>Chart x</span><select id="rn-x"></select></label>` +
    `<label><span>Series</span><select id="rn-series"></select></label>` +
    `<output id="rn-count" aria-live="polite"></output>` +
    (tagChips.length ? `<div class="rn-tags" aria-label="Tags">${tagChips.join('')}</div>` : '') +
    `</section>`;

  const v = vendorScripts();
  const body = [
    `<header class="rn-doc-meta">${meta.join('')}</header>`,
    live,
    `<section class="rn-summary" aria-label="Summary">${chips.join('')}</section>`,
    rows.length ? controls : '<p class="rn-note">No runs yet.</p>',
    fixedLine,
    rows.length ? `<section id="rn-charts" class="rn-charts" aria-label="Charts" hidden></section>` : '',
    rows.length ? `<p id="rn-compare-hint" class="rn-hint"></p><div class="rn-table-wrap rn-live-table"><table id="rn-table" class="rn-table rn-analysis"></table></div>` : '',
    rows.length ? `<section id="rn-compare" class="rn-compare" aria-label="Compare two runs" hidden></section>` : '',
    rows.length ? `<noscript>${fallbackTable(rows, params, results)}</noscript>` : '',
    `<script type="application/json" id="rn-data">${jsonForScript(payload)}</script>`,
    '<footer class="rn-footer">Rendered by run-notebook · click a column header to sort · tick two runs to compare them · summary.csv and summary.sqlite hold the same data</footer>',
  ]
    .filter(Boolean)
    .join('\n');
  return renderPage({
    title: data.title,
    body,
    extraCss: INDEX_CSS,
    bodyClass: 'rn-index',
    script: rows.length ? `${v.echarts}\n;${v.diff}\n;${CLIENT_JS}` : undefined,
  });
}

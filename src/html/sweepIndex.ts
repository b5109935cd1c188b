// The sweep's index.html: every run in one table, sortable when JavaScript is on, a plain
// table when it is off.

import { formatDuration, formatValue, statusClass, statusLabel, statusPill } from './format.js';
import { renderPage } from './page.js';
import { escapeAttr, escapeHtml } from './text.js';
import type { SweepIndex, SweepIndexRow } from './types.js';

// Our own script, the only one the page's CSP allows (by hash). It turns header cells into
// sort buttons; without it the table is simply in run order.
const SORT_SCRIPT = `(function () {
  function key(cell) {
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim() : v;
  }
  function compare(a, b) {
    if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }
  document.querySelectorAll('table.rn-table').forEach(function (table) {
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(head.cells, function (th, col) {
      if (th.hasAttribute('data-nosort')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'rn-sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(head.cells, function (c) { c.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = key(r1.cells[col]), b = key(r2.cells[col]);
          if (a === '' || b === '') return compare(a, b);
          var c = compare(a, b);
          return dir === 'ascending' ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();`;

const STATUS_ORDER = ['success', 'failed', 'timeout', 'kernel_died', 'interrupted', 'aborted'];
const STATUS_RANK: Record<string, number> = { failed: 0, kernel_died: 1, timeout: 2, interrupted: 3, aborted: 4, success: 9 };

function keysOf(rows: SweepIndexRow[], pick: (r: SweepIndexRow) => Record<string, unknown>): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(pick(r) ?? {})) seen.add(k);
  return [...seen];
}

function valueCell(v: unknown, extraClass = ''): string {
  if (v === undefined) return `<td class="rn-muted${extraClass}" data-v="">—</td>`;
  const isNum = typeof v === 'number' && Number.isFinite(v);
  const text = formatValue(v, 60);
  const full = isNum ? String(v) : formatValue(v, 4000);
  const title = full !== text ? ` title="${escapeAttr(full)}"` : '';
  const cls = `${isNum ? 'rn-num' : 'rn-mono'}${extraClass}`;
  const dv = isNum ? ` data-v="${v}"` : typeof v === 'boolean' ? ` data-v="${v ? 1 : 0}"` : '';
  return `<td class="${cls.trim()}"${dv}${title}>${escapeHtml(text)}</td>`;
}

function wallTime(startedAt?: string, endedAt?: string): number | undefined {
  if (!startedAt || !endedAt) return undefined;
  const a = Date.parse(startedAt);
  const b = Date.parse(endedAt);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
}

/** ISO time -> "2026-11-23 10:00:00 UTC"; anything else as given. */
function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The sweep's index page. */
export function renderSweepIndexHtml(data: SweepIndex): string {
  const rows = Array.isArray(data.rows) ? data.rows : [];
  const paramKeys = keysOf(rows, (r) => r.params);
  const resultKeys = keysOf(rows, (r) => r.results);
  const anyError = rows.some((r) => r.error);

  // summary chips
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const statuses = [...counts.keys()].sort((a, b) => {
    const ia = STATUS_ORDER.indexOf(a);
    const ib = STATUS_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const chips = [`<div class="rn-chip"><b>${rows.length}</b><span>runs</span></div>`];
  for (const s of statuses) {
    chips.push(`<div class="rn-chip rn-chip-${escapeAttr(s)}"><b>${counts.get(s)}</b><span>${escapeHtml(statusLabel(s))}</span></div>`);
  }
  const wall = wallTime(data.startedAt, data.endedAt);
  if (wall !== undefined) chips.push(`<div class="rn-chip"><b>${formatDuration(wall)}</b><span>wall time</span></div>`);

  const meta = [`<span class="rn-doc-title">${escapeHtml(data.title)}</span>`, `<span>notebook <code>${escapeHtml(data.notebook)}</code></span>`];
  if (data.startedAt) meta.push(`<span>started ${escapeHtml(formatTime(data.startedAt))}</span>`);
  if (data.endedAt) meta.push(`<span>ended ${escapeHtml(formatTime(data.endedAt))}</span>`);

  // table
  const group =
    `<tr class="rn-group"><th colspan="5">Run</th>` +
    (paramKeys.length ? `<th colspan="${paramKeys.length}">Parameters</th>` : '') +
    (resultKeys.length ? `<th colspan="${resultKeys.length}">Results</th>` : '') +
    (anyError ? '<th></th>' : '') +
    '</tr>';
  const th = (label: string, cls = ''): string => `<th scope="col"${cls ? ` class="${cls}"` : ''}>${escapeHtml(label)}</th>`;
  const headCells = [th('#', 'rn-num'), th('Name'), th('Status'), th('Attempts', 'rn-num'), th('Duration', 'rn-num')];
  paramKeys.forEach((k, i) => headCells.push(th(k, i === 0 ? 'rn-first-param' : '')));
  resultKeys.forEach((k, i) => headCells.push(th(k, i === 0 ? 'rn-first-result' : '')));
  if (anyError) headCells.push(th('Error'));

  const body = rows.map((r) => {
    const cells: string[] = [];
    cells.push(`<td class="rn-num" data-v="${r.index}">${r.index}</td>`);
    const name = escapeHtml(r.name);
    const ipynb = r.notebookHref ? ` <a class="rn-file" href="${escapeAttr(r.notebookHref)}" title="the executed notebook">ipynb</a>` : '';
    cells.push(`<td data-v="${escapeAttr(r.name)}">${r.htmlHref ? `<a href="${escapeAttr(r.htmlHref)}">${name}</a>` : name}${ipynb}</td>`);
    cells.push(`<td data-v="${STATUS_RANK[r.status] ?? 5}-${escapeAttr(r.status)}">${statusPill(r.status)}</td>`);
    cells.push(`<td class="rn-num" data-v="${r.attempts}">${r.attempts}</td>`);
    const d = formatDuration(r.durationSec);
    cells.push(d ? `<td class="rn-num" data-v="${r.durationSec}">${d}</td>` : '<td class="rn-muted rn-num" data-v="">—</td>');
    paramKeys.forEach((k, i) => cells.push(valueCell(r.params?.[k], i === 0 ? ' rn-first-param' : '')));
    resultKeys.forEach((k, i) => cells.push(valueCell(r.results?.[k], i === 0 ? ' rn-first-result' : '')));
    if (anyError) cells.push(r.error ? `<td class="rn-err">${escapeHtml(r.error)}</td>` : '<td data-v=""></td>');
    return `<tr class="rn-row rn-row-${statusClass(r.status).slice('rn-status-'.length)}">${cells.join('')}</tr>`;
  });

  const table =
    `<div class="rn-table-wrap"><table class="rn-table"><thead>${group}<tr>${headCells.join('')}</tr></thead>` +
    `<tbody>\n${body.join('\n')}\n</tbody></table></div>`;
  const empty = rows.length === 0 ? '<p class="rn-note">No runs yet.</p>' : '';

  return renderPage({
    title: data.title,
    body: [
      `<header class="rn-doc-meta">${meta.join('')}</header>`,
      `<section class="rn-summary" aria-label="Summary">${chips.join('')}</section>`,
      rows.length ? table : empty,
      '<footer class="rn-footer">Rendered by run-notebook · click a column header to sort</footer>',
    ].join('\n'),
    script: SORT_SCRIPT,
  });
}

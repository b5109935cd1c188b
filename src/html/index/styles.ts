// The index page's own styles, after the base sheet: full width, frozen first columns,
// controls, chart grid, compare panel; light and dark follow the base variables.
export const INDEX_CSS = String.raw`
.rn-index .rn-page { max-width: none; padding: 20px 24px 48px; }
.rn-live { margin: 0 0 12px; padding: 6px 12px; border-radius: 8px; background: var(--warn-bg); color: var(--warn); font-size: 13px; }
button.rn-chip { font: inherit; color: inherit; text-align: left; cursor: pointer; }
button.rn-chip:hover { border-color: var(--border-strong); }
button.rn-chip[aria-pressed="true"], .rn-tag-chip[aria-pressed="true"] { outline: 2px solid var(--link); outline-offset: 1px; }
.rn-chip-not_run b, .rn-chip-aborted b, .rn-chip-running b { color: var(--neutral); }
.rn-status-not_run { color: var(--neutral); background: var(--neutral-bg); }
.rn-controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; margin: 0 0 10px; }
.rn-controls label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--muted); }
.rn-controls .rn-filter { flex: 1 1 420px; }
.rn-controls input, .rn-controls select { font: inherit; font-size: 14px; color: var(--fg); background: var(--bg); border: 1px solid var(--border-strong); border-radius: 6px; padding: 5px 8px; }
.rn-controls input:focus-visible, .rn-controls select:focus-visible, .rn-index button:focus-visible, .rn-index a:focus-visible, .rn-index input[type=checkbox]:focus-visible { outline: 2px solid var(--link); outline-offset: 1px; }
#rn-count { font-size: 13px; color: var(--muted); padding-bottom: 6px; }
.rn-controls .rn-tags { flex-basis: 100%; margin: 0; }
.rn-tag-chip { cursor: pointer; font: inherit; font-size: 12px; }
.rn-tag-chip span { color: var(--muted); }
.rn-fixed { font-size: 12.5px; color: var(--muted); margin: 0 0 10px; }
.rn-fixed code { font-family: var(--mono); font-size: 12px; margin-right: 8px; }
.rn-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; margin: 0 0 14px; }
.rn-charts[hidden] { display: none; }
.rn-chart { height: 280px; border: 1px solid var(--border); border-radius: 10px; background: var(--bg); box-shadow: var(--shadow); }
.rn-chart-wide { grid-column: 1 / -1; height: 320px; }
.rn-hint { font-size: 12.5px; color: var(--muted); margin: 0 0 6px; min-height: 1em; }
.rn-live-table { max-height: 78vh; overflow: auto; }
.rn-analysis thead th { z-index: 2; }
.rn-analysis .rn-frozen { position: sticky; background: var(--bg); z-index: 1; }
.rn-analysis thead .rn-frozen { z-index: 3; background: var(--surface); }
.rn-analysis .rn-frozen-1 { left: 0; min-width: 7.5em; }
.rn-analysis .rn-frozen-2 { left: 7.5em; box-shadow: inset -1px 0 var(--border); }
.rn-analysis tr:not(:has(.rn-frozen-2)) .rn-frozen-1 { box-shadow: inset -1px 0 var(--border); }
.rn-analysis tbody tr:hover td.rn-frozen { background: var(--row-hover); }
.rn-analysis td.rn-first-run, .rn-analysis th.rn-first-run { border-left: 1px solid var(--border); }
.rn-analysis .rn-sort { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
.rn-analysis th[aria-sort="ascending"] .rn-sort::after { content: " \25B2"; font-size: 9px; }
.rn-analysis th[aria-sort="descending"] .rn-sort::after { content: " \25BC"; font-size: 9px; }
.rn-analysis td.rn-best { font-weight: 700; background: var(--ok-bg); color: var(--ok); }
.rn-analysis tr.rn-selected td { background: var(--row-hover); }
.rn-pick { margin-right: 6px; }
.rn-pick input { vertical-align: -2px; }
.rn-analysis .rn-file { font-size: 11px; color: var(--muted); margin-left: 4px; }
.rn-analysis td.rn-thumb-cell { padding: 2px 8px; }
.rn-analysis .rn-thumb { display: block; border-radius: 3px; }
.rn-analysis td.rn-files .rn-file { font-size: 12px; margin: 0 6px 0 0; color: var(--link); }
.rn-file-img::before { content: "\25A3 "; }
.rn-bad-n { color: var(--bad); font-size: 11px; }
.rn-row-not_run > td:first-child, .rn-row-aborted > td:first-child { box-shadow: inset 3px 0 var(--neutral); }
.rn-compare { margin-top: 16px; border: 1px solid var(--border); border-radius: 10px; padding: 12px 16px; box-shadow: var(--shadow); }
.rn-compare[hidden] { display: none; }
.rn-compare h2 { font-size: 16px; margin: 0 0 10px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.rn-compare h2 button { font: inherit; font-size: 12px; border: 1px solid var(--border-strong); background: var(--surface); color: var(--fg); border-radius: 6px; padding: 1px 10px; cursor: pointer; }
.rn-compare h3 { font-size: 14px; margin: 14px 0 8px; }
.rn-cmp-table { border-collapse: collapse; font-size: 13px; }
.rn-cmp-table th, .rn-cmp-table td { padding: 3px 12px; border-bottom: 1px solid var(--border); text-align: left; }
.rn-cmp-table tr.rn-diff th { color: var(--warn); }
.rn-cmp-table tr.rn-diff td { background: var(--warn-bg); }
.rn-cmp-cell { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 8px; }
.rn-cmp-head { padding: 4px 10px; font-size: 12.5px; background: var(--surface); border-radius: 8px; display: flex; gap: 10px; }
.rn-cmp-head code { font-family: var(--mono); font-size: 12px; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rn-cmp-differs .rn-cmp-head span { color: var(--warn); font-weight: 600; }
.rn-cmp-same .rn-cmp-head span { color: var(--ok); }
.rn-diff-text { margin: 0; padding: 6px 10px; font-family: var(--mono); font-size: 12px; overflow-x: auto; white-space: pre; }
.rn-diff-text .rn-add { color: var(--ok); background: var(--ok-bg); }
.rn-diff-text .rn-del { color: var(--bad); background: var(--bad-bg); }
.rn-diff-text .rn-hunk { color: var(--muted); }
@media print {
  .rn-controls, .rn-hint, .rn-pick, .rn-live, .rn-compare h2 button { display: none; }
  .rn-live-table { max-height: none; overflow: visible; }
  .rn-analysis .rn-frozen { position: static; }
  .rn-charts { grid-template-columns: 1fr 1fr; }
  .rn-chart { break-inside: avoid; box-shadow: none; }
}
`;

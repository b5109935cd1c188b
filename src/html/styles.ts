// The page stylesheet: one set of CSS variables, a light and a dark palette chosen by
// prefers-color-scheme, a print sheet, and token colours for highlight.js and ANSI.

export const BASE_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1f2328;
  --muted: #656d76;
  --faint: #8c959f;
  --border: #d8dee4;
  --border-strong: #afb8c1;
  --surface: #f6f8fa;
  --surface-2: #eef1f4;
  --code-bg: #f6f8fa;
  --link: #0969da;
  --in-prompt: #307fc1;
  --out-prompt: #bf5b3d;
  --stderr-bg: #fff4f2;
  --stderr-border: #f4b9ae;
  --error-bg: #fff0ef;
  --error-border: #e5534b;
  --ok: #1a7f37;
  --ok-bg: #dafbe1;
  --bad: #cf222e;
  --bad-bg: #ffebe9;
  --warn: #9a6700;
  --warn-bg: #fff8c5;
  --neutral: #57606a;
  --neutral-bg: #eaeef2;
  --row-alt: #f6f8fa;
  --row-hover: #e7f0fb;
  --shadow: 0 1px 2px rgba(31, 35, 40, 0.06), 0 1px 8px rgba(31, 35, 40, 0.04);
  /* highlight.js */
  --hl-keyword: #cf222e;
  --hl-string: #0a3069;
  --hl-number: #0550ae;
  --hl-comment: #6e7781;
  --hl-title: #8250df;
  --hl-builtin: #953800;
  --hl-attr: #0550ae;
  --hl-meta: #116329;
  /* ANSI */
  --ansi-black: #3e424d;
  --ansi-red: #c4221b;
  --ansi-green: #00862f;
  --ansi-yellow: #8a6a00;
  --ansi-blue: #1467c4;
  --ansi-magenta: #a4329a;
  --ansi-cyan: #0a8487;
  --ansi-white: #a1a6b2;
  --ansi-bright-black: #5a5f6b;
  --ansi-bright-red: #e0514c;
  --ansi-bright-green: #22a559;
  --ansi-bright-yellow: #b78b00;
  --ansi-bright-blue: #3b8eea;
  --ansi-bright-magenta: #c052b6;
  --ansi-bright-cyan: #2aa5a8;
  --ansi-bright-white: #d9dce3;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1318;
    --fg: #e6edf3;
    --muted: #9198a1;
    --faint: #6e7681;
    --border: #2d333b;
    --border-strong: #444c56;
    --surface: #161b22;
    --surface-2: #1c2128;
    --code-bg: #161b22;
    --link: #4493f8;
    --in-prompt: #6cb6ff;
    --out-prompt: #f0883e;
    --stderr-bg: #2a1719;
    --stderr-border: #6e3630;
    --error-bg: #2d1619;
    --error-border: #f85149;
    --ok: #3fb950;
    --ok-bg: #12261a;
    --bad: #ff7b72;
    --bad-bg: #3a1719;
    --warn: #d29922;
    --warn-bg: #2e2410;
    --neutral: #9198a1;
    --neutral-bg: #21262d;
    --row-alt: #151a21;
    --row-hover: #1b2a3d;
    --shadow: 0 1px 2px rgba(0, 0, 0, 0.4);
    --hl-keyword: #ff7b72;
    --hl-string: #a5d6ff;
    --hl-number: #79c0ff;
    --hl-comment: #8b949e;
    --hl-title: #d2a8ff;
    --hl-builtin: #ffa657;
    --hl-attr: #79c0ff;
    --hl-meta: #7ee787;
    --ansi-black: #8b949e;
    --ansi-red: #ff7b72;
    --ansi-green: #56d364;
    --ansi-yellow: #e3b341;
    --ansi-blue: #6cb6ff;
    --ansi-magenta: #dcbdfb;
    --ansi-cyan: #56d4dd;
    --ansi-white: #c9d1d9;
    --ansi-bright-black: #adb5bd;
    --ansi-bright-red: #ffa198;
    --ansi-bright-green: #7ee787;
    --ansi-bright-yellow: #f2cc60;
    --ansi-bright-blue: #a5d6ff;
    --ansi-bright-magenta: #e2c5ff;
    --ansi-bright-cyan: #7ce6ee;
    --ansi-bright-white: #f0f6fc;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 15px/1.6 var(--sans);
}
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
.rn-page { max-width: 1120px; margin: 0 auto; padding: 28px 28px 56px; }
.rn-doc-meta { display: flex; flex-wrap: wrap; align-items: baseline; color: var(--muted); font-size: 13px; margin: 0 0 18px; padding-bottom: 10px; border-bottom: 1px solid var(--border); }
.rn-doc-title { color: var(--fg); font-weight: 650; font-size: 14px; overflow-wrap: anywhere; }
.rn-doc-meta code { font-family: var(--mono); font-size: 12px; }
.rn-doc-meta span + span::before { content: "·"; margin: 0 .5em; color: var(--faint); }
.rn-footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--border); color: var(--faint); font-size: 12px; }

/* ---- run header ---- */
.rn-run { border: 1px solid var(--border); border-radius: 10px; background: var(--surface); box-shadow: var(--shadow); padding: 14px 18px; margin: 0 0 22px; }
.rn-run-top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; }
.rn-run-name { font-weight: 650; font-size: 1.05em; overflow-wrap: anywhere; }
.rn-run-index { color: var(--muted); font-weight: 500; }
.rn-run-facts { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 13px; }
.rn-run-facts b { color: var(--fg); font-weight: 600; }
.rn-status { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; padding: 1px 10px 1px 8px; font-size: 12.5px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.rn-status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
.rn-status-success { color: var(--ok); background: var(--ok-bg); }
.rn-status-failed, .rn-status-kernel_died { color: var(--bad); background: var(--bad-bg); }
.rn-status-timeout, .rn-status-interrupted, .rn-status-cancelled { color: var(--warn); background: var(--warn-bg); }
.rn-status-aborted, .rn-status-other, .rn-status-pending, .rn-status-skipped, .rn-status-running { color: var(--neutral); background: var(--neutral-bg); }
.rn-config { margin-top: 10px; }
.rn-config > summary { cursor: pointer; color: var(--muted); font-size: 13px; user-select: none; }
.rn-config > summary .rn-config-preview { font-family: var(--mono); font-size: 12px; color: var(--fg); margin-left: 6px; }
.rn-config pre { margin: 8px 0 0; }
.rn-kv { border-collapse: collapse; margin-top: 8px; font-size: 13px; }
.rn-kv th { text-align: left; font-weight: 600; color: var(--muted); padding: 2px 14px 2px 0; vertical-align: top; font-family: var(--mono); font-size: 12.5px; }
.rn-kv td { font-family: var(--mono); font-size: 12.5px; padding: 2px 0; overflow-wrap: anywhere; }
.rn-banner { display: flex; gap: 10px; align-items: flex-start; margin-top: 12px; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--error-border); background: var(--bad-bg); color: var(--fg); }
.rn-banner::before { content: "✕"; color: var(--bad); font-weight: 700; line-height: 1.5; }
.rn-banner-warn { border-color: var(--warn); background: var(--warn-bg); }
.rn-banner-warn::before { content: "!"; color: var(--warn); }
.rn-banner strong { color: var(--bad); }
.rn-banner-warn strong { color: var(--warn); }
.rn-banner .rn-headline { font-family: var(--mono); font-size: 13px; overflow-wrap: anywhere; }
.rn-banner a { font-weight: 600; white-space: nowrap; }

/* ---- cells ---- */
.rn-cell { display: grid; grid-template-columns: 6.2em minmax(0, 1fr); column-gap: 10px; margin: 0 0 14px; scroll-margin-top: 16px; }
.rn-cell:target > .rn-input > .rn-source, .rn-cell:target > .rn-md { outline: 2px solid var(--error-border); outline-offset: 2px; border-radius: 6px; }
.rn-noprompts .rn-cell { grid-template-columns: minmax(0, 1fr); }
.rn-noprompts .rn-prompt { display: none; }
.rn-input, .rn-output { display: contents; }
.rn-prompt { grid-column: 1; font-family: var(--mono); font-size: 12px; line-height: 20px; padding-top: 9px; text-align: right; white-space: nowrap; user-select: none; color: var(--faint); }
.rn-input > .rn-prompt { color: var(--in-prompt); }
.rn-output > .rn-prompt { color: var(--out-prompt); padding-top: 6px; }
.rn-source, .rn-out-body, .rn-md, .rn-hidden, .rn-raw { grid-column: 2; min-width: 0; }
.rn-source { margin: 0; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; overflow-x: auto; font-size: 13px; line-height: 20px; }
.rn-source code, .rn-md-code code { font-family: var(--mono); font-size: 13px; line-height: 20px; background: none; padding: 0; white-space: pre; }
.rn-out-body { padding: 5px 0 3px; overflow-x: auto; }
.rn-input + .rn-output > .rn-out-body { padding-top: 7px; }
.rn-cell-removed { display: block; margin: 0; height: 0; }
pre { font-family: var(--mono); }
.rn-text, .rn-stream, .rn-traceback { margin: 0; font-family: var(--mono); font-size: 12.8px; line-height: 19px; white-space: pre-wrap; overflow-wrap: anywhere; }
.rn-stream-stderr { background: var(--stderr-bg); border-left: 3px solid var(--stderr-border); padding: 4px 10px; border-radius: 0 4px 4px 0; }
.rn-traceback-box { background: var(--error-bg); border-left: 3px solid var(--error-border); padding: 6px 10px; border-radius: 0 4px 4px 0; }
.rn-long { display: flex; flex-direction: column-reverse; max-height: 42em; overflow-y: auto; border: 1px solid var(--border); border-radius: 4px; }
.rn-long > pre { padding: 4px 10px; }
.rn-long > .rn-stream-stderr { border-left: 0; border-radius: 0; }
.rn-long-stderr { border-left: 3px solid var(--stderr-border); }
.rn-long-note { font-size: 12px; color: var(--faint); margin-top: 2px; }
.rn-note { display: inline-block; font-size: 12.5px; color: var(--muted); background: var(--surface-2); border: 1px dashed var(--border-strong); border-radius: 6px; padding: 3px 10px; }
.rn-note code { font-family: var(--mono); font-size: 12px; }
.rn-widget { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 2px 0; font-size: 13px; }
.rn-widget .rn-widget { margin: 0; }
.rn-widget-label { color: var(--muted); min-width: 6em; }
.rn-widget-value { font-family: var(--mono); font-variant-numeric: tabular-nums; }
.rn-widget input, .rn-widget select, .rn-widget textarea, .rn-widget button { font: inherit; color: var(--fg); opacity: 1; }
.rn-widget button { background: var(--surface-2); border: 1px solid var(--border-strong); border-radius: 4px; padding: 3px 12px; }
.rn-widget button.rn-widget-on, .rn-widget-options li.rn-widget-on { font-weight: 650; border-color: var(--fg); }
.rn-widget-options { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; margin: 0; padding: 0; }
.rn-widget-options li { border: 1px solid var(--border); border-radius: 4px; padding: 1px 8px; }
.rn-widget-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.rn-widget-col { display: flex; flex-direction: column; gap: 4px; }
.rn-widget-title { font-weight: 650; font-size: 12.5px; }
.rn-missing-img { display: inline-block; font-size: 12.5px; color: var(--muted); border: 1px dashed var(--border-strong); border-radius: 4px; padding: 1px 6px; font-family: var(--mono); overflow-wrap: anywhere; }
.rn-image { max-width: 100%; height: auto; display: block; }
.rn-image.rn-unconfined { max-width: none; }
.rn-needs-light { background: #fff; }
.rn-needs-dark { background: #111; }
.rn-hidden > summary { cursor: pointer; color: var(--faint); font-size: 12.5px; list-style: none; display: inline-block; border: 1px solid var(--border); border-radius: 5px; padding: 0 8px; margin: 4px 0; user-select: none; }
.rn-hidden > summary::-webkit-details-marker { display: none; }
.rn-hidden[open] > summary { margin-bottom: 6px; }
.rn-raw { margin: 0; font-family: var(--mono); font-size: 12.8px; white-space: pre-wrap; color: var(--muted); border-left: 3px solid var(--border); padding: 4px 10px; }
.rn-math-display { overflow-x: auto; overflow-y: hidden; }
.rn-latex { overflow-x: auto; }
.rn-inline-svg { max-width: 100%; height: auto; }

/* ---- markdown ---- */
.rn-md { padding: 0 2px; overflow-wrap: break-word; }
.rn-md > :first-child { margin-top: 0; }
.rn-md > :last-child { margin-bottom: 0; }
.rn-md h1, .rn-md h2, .rn-md h3, .rn-md h4, .rn-md h5, .rn-md h6 { line-height: 1.3; margin: 1.1em 0 .5em; font-weight: 650; scroll-margin-top: 16px; }
.rn-md h1 { font-size: 1.85em; letter-spacing: -0.015em; padding-bottom: .25em; border-bottom: 1px solid var(--border); }
.rn-md h2 { font-size: 1.45em; padding-bottom: .2em; border-bottom: 1px solid var(--border); }
.rn-md h3 { font-size: 1.2em; }
.rn-md h4 { font-size: 1.05em; }
.rn-md h5, .rn-md h6 { font-size: .95em; color: var(--muted); }
.rn-anchor { margin-left: .35em; color: var(--faint); opacity: 0; font-weight: 400; font-size: .8em; text-decoration: none; }
h1:hover > .rn-anchor, h2:hover > .rn-anchor, h3:hover > .rn-anchor, h4:hover > .rn-anchor, h5:hover > .rn-anchor, h6:hover > .rn-anchor, .rn-anchor:focus { opacity: 1; }
.rn-md p, .rn-md ul, .rn-md ol, .rn-md blockquote, .rn-md table, .rn-md pre { margin: 0 0 .8em; }
.rn-md ul, .rn-md ol { padding-left: 1.8em; }
.rn-md li + li { margin-top: .2em; }
.rn-md li > input[type="checkbox"] { margin: 0 .45em 0 -1.35em; vertical-align: -1px; }
.rn-md li:has(> input[type="checkbox"]) { list-style: none; }
.rn-md blockquote { color: var(--muted); border-left: 4px solid var(--border-strong); margin-left: 0; padding: 0 1em; }
.rn-md hr { border: 0; border-top: 1px solid var(--border); margin: 1.4em 0; }
.rn-md img { max-width: 100%; }
.rn-md :not(pre) > code { font-family: var(--mono); font-size: .86em; background: var(--surface-2); border-radius: 4px; padding: .12em .38em; }
.rn-md-code { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; overflow-x: auto; font-size: 13px; line-height: 20px; }
.rn-md table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; }
.rn-md th, .rn-md td { border: 1px solid var(--border); padding: 5px 12px; }
.rn-md th { background: var(--surface); font-weight: 600; }
.rn-md tr:nth-child(2n) td { background: var(--row-alt); }

/* ---- HTML outputs: tables as JupyterLab shows pandas frames ---- */
.rn-html table { border-collapse: collapse; border-spacing: 0; border: none; font-size: 12.5px; font-variant-numeric: tabular-nums; margin: 2px 0 6px; }
.rn-html thead { border-bottom: 1px solid var(--border-strong); vertical-align: bottom; }
.rn-html th, .rn-html td { padding: 4px 10px; border: none; text-align: right; vertical-align: middle; line-height: 1.45; max-width: none; white-space: normal; }
.rn-html th { font-weight: 650; }
.rn-html tbody tr:nth-child(odd) { background: var(--row-alt); }
.rn-html tbody tr:hover { background: var(--row-hover); }
.rn-html table.dataframe + p, .rn-html .dataframe + p { color: var(--muted); font-size: 12.5px; margin: 2px 0 0; }
.rn-html img { max-width: 100%; }

/* ---- sweep index ---- */
.rn-summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 18px; }
.rn-chip { border: 1px solid var(--border); border-radius: 8px; padding: 6px 14px; background: var(--surface); min-width: 92px; }
.rn-chip b { display: block; font-size: 1.35em; line-height: 1.2; }
.rn-chip span { font-size: 12px; color: var(--muted); }
.rn-chip-success b { color: var(--ok); }
.rn-chip-failed b, .rn-chip-kernel_died b { color: var(--bad); }
.rn-chip-timeout b, .rn-chip-interrupted b { color: var(--warn); }
.rn-table-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow); }
.rn-table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
.rn-table th, .rn-table td { padding: 7px 12px; text-align: left; border-bottom: 1px solid var(--border); white-space: nowrap; vertical-align: top; }
.rn-table tbody tr:last-child td { border-bottom: none; }
.rn-table thead th { background: var(--surface); font-weight: 600; color: var(--muted); font-size: 12px; position: sticky; top: 0; }
.rn-table thead tr.rn-group th { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--faint); padding-bottom: 0; border-bottom: none; }
.rn-table thead tr.rn-group th + th:not(:empty) { border-left: 1px solid var(--border); }
.rn-table td.rn-num, .rn-table th.rn-num { text-align: right; }
.rn-table td.rn-mono { font-family: var(--mono); font-size: 12.5px; }
.rn-table td.rn-first-param, .rn-table th.rn-first-param, .rn-table td.rn-first-result, .rn-table th.rn-first-result { border-left: 1px solid var(--border); }
.rn-table tbody tr:hover td { background: var(--row-hover); }
.rn-table td.rn-err { white-space: normal; min-width: 14em; max-width: 32em; color: var(--bad); font-family: var(--mono); font-size: 12px; }
.rn-table .rn-muted { color: var(--faint); }
.rn-sort { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
.rn-sort::after { content: "↕"; opacity: .35; font-size: 11px; }
th[aria-sort="ascending"] .rn-sort::after { content: "↑"; opacity: 1; }
th[aria-sort="descending"] .rn-sort::after { content: "↓"; opacity: 1; }
.rn-row-failed > td:first-child, .rn-row-kernel_died > td:first-child { box-shadow: inset 3px 0 var(--bad); }
.rn-row-timeout > td:first-child, .rn-row-interrupted > td:first-child, .rn-row-cancelled > td:first-child { box-shadow: inset 3px 0 var(--warn); }
.rn-file { margin-left: 8px; font-size: 11px; font-family: var(--mono); color: var(--muted); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; }
.rn-file:hover { color: var(--link); text-decoration: none; border-color: var(--link); }

/* ---- highlight.js ---- */
.hljs-keyword, .hljs-selector-tag, .hljs-doctag, .hljs-template-tag, .hljs-type, .hljs-meta .hljs-keyword { color: var(--hl-keyword); }
.hljs-string, .hljs-regexp, .hljs-meta .hljs-string, .hljs-char.escape_ { color: var(--hl-string); }
.hljs-number, .hljs-literal, .hljs-variable.constant_, .hljs-symbol, .hljs-bullet { color: var(--hl-number); }
.hljs-comment, .hljs-quote { color: var(--hl-comment); font-style: italic; }
.hljs-title, .hljs-title.function_, .hljs-title.class_, .hljs-section { color: var(--hl-title); }
.hljs-built_in, .hljs-params .hljs-built_in, .hljs-variable.language_ { color: var(--hl-builtin); }
.hljs-attr, .hljs-attribute, .hljs-property, .hljs-selector-attr, .hljs-selector-class, .hljs-selector-id, .hljs-name, .hljs-tag { color: var(--hl-attr); }
.hljs-meta, .hljs-decorator { color: var(--hl-meta); }
.hljs-addition { color: var(--ok); background: var(--ok-bg); }
.hljs-deletion { color: var(--bad); background: var(--bad-bg); }
.hljs-emphasis { font-style: italic; }
.hljs-strong { font-weight: bold; }

/* ---- ANSI (ansi_up classes) ---- */
.ansi-black-fg { color: var(--ansi-black); } .ansi-black-bg { background: var(--ansi-black); }
.ansi-red-fg { color: var(--ansi-red); } .ansi-red-bg { background: var(--ansi-red); }
.ansi-green-fg { color: var(--ansi-green); } .ansi-green-bg { background: var(--ansi-green); }
.ansi-yellow-fg { color: var(--ansi-yellow); } .ansi-yellow-bg { background: var(--ansi-yellow); }
.ansi-blue-fg { color: var(--ansi-blue); } .ansi-blue-bg { background: var(--ansi-blue); }
.ansi-magenta-fg { color: var(--ansi-magenta); } .ansi-magenta-bg { background: var(--ansi-magenta); }
.ansi-cyan-fg { color: var(--ansi-cyan); } .ansi-cyan-bg { background: var(--ansi-cyan); }
.ansi-white-fg { color: var(--ansi-white); } .ansi-white-bg { background: var(--ansi-white); }
.ansi-bright-black-fg { color: var(--ansi-bright-black); } .ansi-bright-black-bg { background: var(--ansi-bright-black); }
.ansi-bright-red-fg { color: var(--ansi-bright-red); } .ansi-bright-red-bg { background: var(--ansi-bright-red); }
.ansi-bright-green-fg { color: var(--ansi-bright-green); } .ansi-bright-green-bg { background: var(--ansi-bright-green); }
.ansi-bright-yellow-fg { color: var(--ansi-bright-yellow); } .ansi-bright-yellow-bg { background: var(--ansi-bright-yellow); }
.ansi-bright-blue-fg { color: var(--ansi-bright-blue); } .ansi-bright-blue-bg { background: var(--ansi-bright-blue); }
.ansi-bright-magenta-fg { color: var(--ansi-bright-magenta); } .ansi-bright-magenta-bg { background: var(--ansi-bright-magenta); }
.ansi-bright-cyan-fg { color: var(--ansi-bright-cyan); } .ansi-bright-cyan-bg { background: var(--ansi-bright-cyan); }
.ansi-bright-white-fg { color: var(--ansi-bright-white); } .ansi-bright-white-bg { background: var(--ansi-bright-white); }

@media (max-width: 720px) {
  .rn-page { padding: 16px 12px 40px; }
  .rn-cell { grid-template-columns: minmax(0, 1fr); }
  .rn-prompt { grid-column: 1; text-align: left; padding-top: 0; }
  .rn-source, .rn-out-body, .rn-md, .rn-hidden, .rn-raw { grid-column: 1; }
  .rn-output > .rn-prompt:empty { display: none; }
}

@media print {
  :root {
    color-scheme: light;
    --bg: #fff; --fg: #000; --muted: #444; --faint: #666; --border: #ccc; --border-strong: #999;
    --surface: #fff; --surface-2: #f3f3f3; --code-bg: #f7f7f7; --link: #000;
    --stderr-bg: #fff; --error-bg: #fff; --row-alt: #fff; --row-hover: #fff; --shadow: none;
  }
  body { font-size: 10.5pt; }
  .rn-page { max-width: none; padding: 0; }
  .rn-anchor { display: none; }
  .rn-source, .rn-md-code { white-space: pre-wrap; }
  .rn-source code, .rn-md-code code { white-space: pre-wrap; overflow-wrap: anywhere; }
  .rn-source, .rn-image, .rn-md-code, .rn-run, figure, img, tr { break-inside: avoid; }
  .rn-md h1, .rn-md h2, .rn-md h3 { break-after: avoid; }
  .rn-long { display: block; max-height: none; overflow: visible; border: 0; }
  .rn-long-note, .rn-sort::after { display: none; }
  .rn-table-wrap { overflow: visible; box-shadow: none; }
  .rn-table thead th { position: static; }
  details::details-content { content-visibility: visible; display: block; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 9pt; color: #555; }
}
/* tags, description and files of a run (run pages and the index) */
.rn-tags { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 0; }
.rn-tag { display: inline-block; border: 1px solid var(--border); background: var(--surface-2); color: var(--fg); border-radius: 999px; padding: 0 9px; font-size: 12px; line-height: 20px; }
.rn-description { margin: 8px 0 0; color: var(--muted); }
.rn-artifacts { margin-top: 10px; font-size: 13px; }
.rn-artifacts ul { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; padding: 0; margin: 8px 0 0; }
.rn-artifacts a { display: inline-flex; flex-direction: column; gap: 4px; font-family: var(--mono); font-size: 12px; }
.rn-thumb { max-width: 160px; max-height: 120px; border: 1px solid var(--border); border-radius: 6px; background: #fff; object-fit: contain; }
`;

// The index page's own script (allowed by hash in the page's CSP). It reads the embedded
// data (<script type="application/json" id="rn-data">) and draws everything from it: the
// table (sort, filter, group, best values, compare selection), the charts (ECharts, embedded
// before this script) and the compare panel (jsdiff, embedded too). Plain ES2017, no
// template literals, so it can live in this String.raw.
export const CLIENT_JS = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('rn-data').textContent);
var rows = D.rows;
var PARAMS = D.params, RESULTS = D.results;
var NUMERIC = {};
RESULTS.forEach(function (k) { NUMERIC[k] = rows.some(function (r) { return typeof r.r[k] === 'number'; }); });
var METRICS = RESULTS.filter(function (k) { return NUMERIC[k]; });
var LOWER = /(loss|err|mse|mae|rmse|perplexity|regret|cost|latency|time|_sec$|duration)/i;
var STATUSES = ['success', 'failed', 'timeout', 'kernel_died', 'interrupted', 'cancelled', 'aborted', 'running', 'not_run'];
function distinct(k) {
  var seen = {}, out = [];
  rows.forEach(function (r) { var t = key(r.p[k]); if (!(t in seen)) { seen[t] = 1; out.push(r.p[k]); } });
  return out;
}
function key(v) { return v === undefined ? '\u0000' : JSON.stringify(v); }
var VARYING = PARAMS.filter(function (k) { return distinct(k).length > 1; });
var FIXED = PARAMS.filter(function (k) { return VARYING.indexOf(k) < 0; });
var CUSTOM_NAMES = rows.some(function (r) { return r.n; });
var state = { q: '', group: '', x: VARYING[0] || '', s: VARYING[1] || '', sort: '', dir: 1, sel: [] };
try {
  var saved = JSON.parse(decodeURIComponent(location.hash.slice(1)) || '{}');
  for (var k0 in saved) if (k0 in state) state[k0] = saved[k0];
} catch (e) { /* a hand-edited hash: start fresh */ }

var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
function py(v) {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(py).join(', ') + ']';
  return '{' + Object.keys(v).map(function (k) { return JSON.stringify(k) + ': ' + py(v[k]); }).join(', ') + '}';
}
function fmtNum(n) {
  if (Number.isInteger(n) || !isFinite(n)) return String(n);
  var a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(6)));
}
function text(v) {
  if (v === undefined) return '';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return v;
  return py(v);
}
function dur(s) {
  if (s === undefined || s === null) return '';
  if (s < 59.95) return s.toFixed(s < 1 ? 2 : 1) + ' s';
  var t = Math.round(s);
  if (t < 3600) return Math.floor(t / 60) + ' min ' + ('0' + (t % 60)).slice(-2) + ' s';
  return Math.floor(t / 3600) + ' h ' + ('0' + Math.floor((t % 3600) / 60)).slice(-2) + ' min';
}
rows.forEach(function (r) {
  var parts = [r.n || '', r.s, r.e || '', (r.t || []).join(' ')];
  PARAMS.forEach(function (k) { if (k in r.p) parts.push(k + '=' + text(r.p[k])); });
  r.search = parts.join(' ').toLowerCase();
});

// ---- the filter: free text, and COLUMN OP VALUE terms (= != < <= > >= ~), all must hold
function field(r, name) {
  if (name === 'status') return r.s;
  if (name === 'tags') return r.t || [];
  if (name === 'name') return r.n || r.auto;
  if (name === 'index') return r.i;
  if (name === 'server') return r.sv;
  if (name === 'host') return r.ho;
  if (name === 'exec_sec' || name === 'duration') return r.d === null ? undefined : r.d;
  if (RESULTS.indexOf(name) >= 0) return r.r[name];
  return r.p[name];
}
function isField(name) { return ['status', 'tags', 'name', 'index', 'exec_sec', 'duration', 'server', 'host'].indexOf(name) >= 0 || PARAMS.indexOf(name) >= 0 || RESULTS.indexOf(name) >= 0; }
function literal(t) {
  if (/^(["']).*\1$/.test(t)) return t.slice(1, -1);
  if (t === 'None') return null;
  if (t === 'True') return true;
  if (t === 'False') return false;
  var n = Number(t);
  return t !== '' && isFinite(n) ? n : t;
}
function term(t) {
  var m = /^([^=<>!~]+?)(<=|>=|!=|==|=|<|>|~)(.*)$/.exec(t);
  if (m && isField(m[1])) {
    var name = m[1], op = m[2] === '==' ? '=' : m[2], want = literal(m[3]), wt = typeof want === 'string' ? want : text(want);
    return function (r) {
      var got = field(r, name);
      if (got === undefined) return op === '!=';
      if (name === 'tags' && (op === '=' || op === '!=')) return got.some(function (x) { return x === wt; }) === (op === '=');
      if (op === '~') return text(got).toLowerCase().indexOf(wt.toLowerCase()) >= 0;
      if (typeof got === 'number' && typeof want === 'number') {
        return op === '=' ? got === want : op === '!=' ? got !== want : op === '<' ? got < want : op === '<=' ? got <= want : op === '>' ? got > want : got >= want;
      }
      var g = typeof got === 'string' ? got : text(got);
      return op === '=' ? g === wt : op === '!=' ? g !== wt : false;
    };
  }
  var low = t.replace(/^(["'])(.*)\1$/, '$2').toLowerCase();
  return function (r) { return r.search.indexOf(low) >= 0; };
}
function filtered() {
  var terms = (state.q.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) || []).map(term);
  return rows.filter(function (r) { return terms.every(function (f) { return f(r); }); });
}

// ---- grouping: average over state.group, keyed by the other varying parameters
function stat(vals) {
  var n = vals.length;
  if (!n) return undefined;
  var m = vals.reduce(function (a, b) { return a + b; }, 0) / n;
  if (n === 1) return { mean: m, std: null, n: 1 };
  var v = vals.reduce(function (a, b) { return a + (b - m) * (b - m); }, 0) / (n - 1);
  return { mean: m, std: Math.sqrt(v), n: n };
}
function grouped(list) {
  var by = {}, out = [];
  var keys = VARYING.filter(function (k) { return k !== state.group; });
  list.forEach(function (r) {
    var id = keys.map(function (k) { return key(r.p[k]); }).join('|');
    var g = by[id];
    if (!g) { g = by[id] = { p: {}, runs: [], r: {} }; keys.forEach(function (k) { if (k in r.p) g.p[k] = r.p[k]; }); out.push(g); }
    g.runs.push(r);
  });
  out.forEach(function (g, i) {
    g.i = i;
    g.ok = g.runs.filter(function (r) { return r.s === 'success'; }).length;
    METRICS.forEach(function (m) { g.r[m] = stat(g.runs.map(function (r) { return r.r[m]; }).filter(function (v) { return typeof v === 'number' && isFinite(v); })); });
    g.d = stat(g.runs.map(function (r) { return r.d; }).filter(function (v) { return typeof v === 'number'; }));
  });
  return out;
}
function val(x) { return x && typeof x === 'object' && 'mean' in x ? x.mean : x; }

// ---- the table
function best(list, m) {
  var lower = LOWER.test(m), b;
  list.forEach(function (r) { var v = val(r.r[m]); if (typeof v === 'number' && isFinite(v) && (!r.s || r.s === 'success') && (b === undefined || (lower ? v < b : v > b))) b = v; });
  return b;
}
function sortList(list) {
  if (!state.sort) return list;
  var c = state.sort, dir = state.dir;
  var get = function (r) {
    if (c === '#') return r.i;
    if (c === 'n') return r.runs ? r.runs.length : undefined;
    return val(r.runs && c === 'exec_sec' ? r.d : field(r, c));
  };
  return list.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
    var x = get(a[0]), y = get(b[0]);
    if (x === undefined || y === undefined || x === null || y === null) return (x === undefined || x === null) === (y === undefined || y === null) ? a[1] - b[1] : (x === undefined || x === null) ? 1 : -1;
    var d = typeof x === 'number' && typeof y === 'number' ? x - y : text(x).localeCompare(text(y), undefined, { numeric: true });
    return d * dir || a[1] - b[1];
  }).map(function (p) { return p[0]; });
}
function th(label, col, cls, title) {
  var s = state.sort === col ? (state.dir > 0 ? ' aria-sort="ascending"' : ' aria-sort="descending"') : '';
  return '<th scope="col" class="' + (cls || '') + '"' + s + (title ? ' title="' + esc(title) + '"' : '') + '><button type="button" class="rn-sort" data-sort="' + esc(col) + '">' + esc(label) + '</button></th>';
}
function cell(v, cls, isBest) {
  if (v === undefined) return '<td class="rn-muted ' + (cls || '') + '">\u2014</td>';
  var num = typeof v === 'number' || (v && typeof v === 'object' && 'mean' in v);
  var t = v && typeof v === 'object' && 'mean' in v ? fmtNum(v.mean) + (v.std === null ? '' : ' \u00b1 ' + fmtNum(v.std)) : text(v);
  var full = t;
  if (t.length > 60) t = t.slice(0, 59) + '\u2026';
  return '<td class="' + (num ? 'rn-num' : 'rn-mono') + (isBest ? ' rn-best' : '') + ' ' + (cls || '') + '"' + (full !== t || isBest ? ' title="' + esc(full + (isBest ? ' (best)' : '')) + '"' : '') + '>' + esc(t) + '</td>';
}
function pill(s) { return '<span class="rn-status rn-status-' + esc(STATUSES.indexOf(s) >= 0 || s === 'timeout' ? s : 'other') + '">' + esc(s.replace(/_/g, ' ')) + '</span>'; }
function files(r) {
  var f = r.f || [];
  if (!f.length) return '<td class="rn-muted">\u2014</td>';
  var shown = f.slice(0, 3).map(function (p) {
    var name = p.slice(p.indexOf('/') + 1);
    return '<a class="rn-file' + (/\.(png|jpe?g|gif|svg|webp)$/i.test(p) ? ' rn-file-img' : '') + '" href="' + esc(encodeURI(p)) + '">' + esc(name) + '</a>';
  });
  return '<td class="rn-files">' + shown.join(' ') + (f.length > 3 ? ' <span class="rn-muted">+' + (f.length - 3) + '</span>' : '') + '</td>';
}
function thumb(r) {
  var t = r.im;
  if (!t) return '<td class="rn-muted">\u2014</td>';
  if (!/^data:image\/(webp|png|jpeg);base64,[A-Za-z0-9+\/=]+$/.test(t.src)) return '<td class="rn-muted">\u2014</td>';
  var img = '<img class="rn-thumb" src="' + esc(t.src) + '" width="' + Math.round(t.width / 2) + '" height="' + Math.round(t.height / 2) + '" alt="' + esc('run ' + r.i + ': ' + t.title) + '" title="' + esc(t.title) + '" loading="lazy">';
  return '<td class="rn-thumb-cell">' + (t.href ? '<a href="' + esc(t.href) + '">' + img + '</a>' : img) + '</td>';
}
function renderTable(list, groups) {
  var head = [], body = [];
  var bests = {};
  var src = groups || list;
  METRICS.forEach(function (m) { bests[m] = best(src, m); });
  var shownParams = VARYING.filter(function (k) { return !groups || k !== state.group; });
  if (groups) {
    head.push(th('#', '#', 'rn-num rn-frozen rn-frozen-1'));
    RESULTS.filter(function (m) { return NUMERIC[m]; }).forEach(function (m, i) { head.push(th(m, m, 'rn-num' + (i === 0 ? ' rn-first-result' : ''), LOWER.test(m) ? 'lower is better' : 'higher is better')); });
    shownParams.forEach(function (k, i) { head.push(th(k, k, i === 0 ? 'rn-first-param' : '')); });
    head.push(th('n', 'n', 'rn-num rn-first-run'), th('Duration', 'exec_sec', 'rn-num'));
    groups.forEach(function (g) {
      var c = ['<td class="rn-num rn-frozen rn-frozen-1">' + (g.i + 1) + '</td>'];
      METRICS.forEach(function (m, i) { c.push(cell(g.r[m], i === 0 ? 'rn-first-result' : '', g.r[m] !== undefined && g.r[m].mean === bests[m])); });
      shownParams.forEach(function (k, i) { c.push(cell(g.p[k], i === 0 ? 'rn-first-param' : '')); });
      c.push('<td class="rn-num rn-first-run" title="' + g.ok + ' of ' + g.runs.length + ' succeeded; ' + esc(state.group) + ' = ' + esc(g.runs.map(function (r) { return text(r.p[state.group]); }).join(', ')) + '">' + g.runs.length + (g.ok < g.runs.length ? ' <span class="rn-bad-n">(' + (g.runs.length - g.ok) + ' failed)</span>' : '') + '</td>');
      c.push(cell(g.d ? { mean: g.d.mean, std: g.d.std, n: g.d.n } : undefined));
      body.push('<tr>' + c.join('') + '</tr>');
    });
  } else {
    head.push(th('#', '#', 'rn-num rn-frozen rn-frozen-1'));
    if (CUSTOM_NAMES) head.push(th('Name', 'name', 'rn-frozen rn-frozen-2'));
    head.push(th('Status', 'status'));
    RESULTS.forEach(function (m, i) { head.push(th(m, m, (NUMERIC[m] ? 'rn-num' : '') + (i === 0 ? ' rn-first-result' : ''), NUMERIC[m] ? (LOWER.test(m) ? 'lower is better' : 'higher is better') : '')); });
    shownParams.forEach(function (k, i) { head.push(th(k, k, i === 0 ? 'rn-first-param' : '')); });
    head.push(th('Duration', 'exec_sec', 'rn-num rn-first-run', 'executing the cells (kernel start-up apart)'), th('Attempts', 'attempts', 'rn-num'));
    if (D.manyServers) head.push(th('Server', 'server'));
    if (D.manyHosts) head.push(th('Host', 'host'));
    if (D.anyTags) head.push(th('Tags', 'tags'));
    if (D.anyThumbs) head.push('<th scope="col">Image</th>');
    if (D.anyFiles) head.push('<th scope="col">Files</th>');
    if (D.anyError) head.push(th('Error', 'error'));
    list.forEach(function (r) {
      var sel = state.sel.indexOf(r.i) >= 0;
      var link = r.h ? '<a href="' + esc(r.h) + '" title="' + esc(r.auto || '') + '">' + r.i + '</a>' : String(r.i);
      var c = ['<td class="rn-num rn-frozen rn-frozen-1"><label class="rn-pick"><input type="checkbox" data-pick="' + r.i + '"' + (sel ? ' checked' : '') + ' aria-label="compare run ' + r.i + '"></label>' + link + (r.nb ? ' <a class="rn-file" href="' + esc(r.nb) + '" title="the executed notebook">ipynb</a>' : '') + '</td>'];
      if (CUSTOM_NAMES) c.push('<td class="rn-frozen rn-frozen-2">' + esc(r.n || '') + '</td>');
      c.push('<td>' + pill(r.s) + '</td>');
      RESULTS.forEach(function (m, i) { c.push(cell(r.r[m], i === 0 ? 'rn-first-result' : '', NUMERIC[m] && r.s === 'success' && r.r[m] === bests[m])); });
      shownParams.forEach(function (k, i) { c.push(cell(r.p[k], i === 0 ? 'rn-first-param' : '')); });
      c.push('<td class="rn-num rn-first-run"' + (r.k !== null && r.k !== undefined ? ' title="kernel start-up ' + esc(dur(r.k)) + '"' : '') + '>' + (r.d === null || r.d === undefined ? '<span class="rn-muted">\u2014</span>' : dur(r.d)) + '</td>');
      c.push('<td class="rn-num">' + r.a + '</td>');
      if (D.manyServers) c.push('<td>' + esc(r.sv || '') + '</td>');
      if (D.manyHosts) c.push('<td>' + esc(r.ho || '') + '</td>');
      if (D.anyTags) c.push('<td>' + (r.t || []).map(function (t) { return '<span class="rn-tag">' + esc(t) + '</span>'; }).join(' ') + '</td>');
      if (D.anyThumbs) c.push(thumb(r));
      if (D.anyFiles) c.push(files(r));
      if (D.anyError) c.push(r.e ? '<td class="rn-err">' + esc(r.e) + '</td>' : '<td></td>');
      body.push('<tr class="rn-row rn-row-' + esc(r.s) + (sel ? ' rn-selected' : '') + '">' + c.join('') + '</tr>');
    });
  }
  var groupRow = '';
  var resultsN = groups ? METRICS.length : RESULTS.length;
  var lead = groups ? 1 : CUSTOM_NAMES ? 3 : 2;
  groupRow = '<tr class="rn-group"><th colspan="' + lead + '" class="rn-frozen rn-frozen-1"></th>' + (resultsN ? '<th colspan="' + resultsN + '" class="rn-first-result">Results</th>' : '') + (shownParams.length ? '<th colspan="' + shownParams.length + '" class="rn-first-param">Parameters</th>' : '') + '<th colspan="' + (head.length - lead - resultsN - shownParams.length) + '" class="rn-first-run">Run</th></tr>';
  document.getElementById('rn-table').innerHTML = '<thead>' + groupRow + '<tr>' + head.join('') + '</tr></thead><tbody>' + body.join('') + '</tbody>';
  if (!src.length) document.getElementById('rn-table').tBodies[0].innerHTML = '<tr><td colspan="' + head.length + '" class="rn-muted">No run matches the filter.</td></tr>';
}

// ---- charts (ECharts, SVG renderer)
var charts = [];
// SVG prints crisply; past a few hundred runs canvas draws several times faster.
var RENDERER = rows.length > 300 ? 'canvas' : 'svg';
var dark = window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches;
var themeCache = null;
function css(name) { return getComputedStyle(document.body).getPropertyValue(name).trim(); }
function axisFor(k, list) {
  var vals = [], seen = {};
  list.forEach(function (r) { var v = r.p[k], t = key(v); if (v !== undefined && !(t in seen)) { seen[t] = 1; vals.push(v); } });
  var numeric = vals.length > 0 && vals.every(function (v) { return typeof v === 'number'; });
  if (numeric) {
    var pos = vals.every(function (v) { return v > 0; });
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    return { type: pos && hi / lo >= 10 ? 'log' : 'value', name: k, nameLocation: 'middle', nameGap: 26, scale: true, pos: function (v) { return v; } };
  }
  var cats = vals.map(text).sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); });
  return { type: 'category', name: k, nameLocation: 'middle', nameGap: 26, data: cats, pos: function (v) { return text(v); } };
}
function seriesOf(list) {
  var by = {}, order = [];
  list.forEach(function (r) { var s = state.s && state.s !== state.x ? (state.s + '=' + text(r.p[state.s])) : 'runs'; if (!by[s]) { by[s] = []; order.push(s); } by[s].push(r); });
  return order.map(function (s) { return [s, by[s]]; });
}
function chartTheme() {
  themeCache = themeCache || { fg: css('--fg') || '#1f2328', muted: css('--muted') || '#656d76', border: css('--border') || '#d8dee4' };
  return themeCache;
}
// Each chart gets its size given: ECharts would otherwise read it from the computed style,
// one forced layout of the whole page per chart.
function sizeOf(el) { return { width: el.clientWidth || 400, height: el.clientHeight || 280 }; }
function baseOption(title, t) {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: t.fg },
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: t.fg } },
    tooltip: { trigger: 'item', confine: true },
    legend: { type: 'scroll', top: 4, right: 8, left: 140, textStyle: { color: t.muted } },
    grid: { left: 56, right: 16, top: 36, bottom: 44 }
  };
}
function drawCharts(list, groups) {
  charts.forEach(function (c) { c.dispose(); });
  charts = [];
  var box = document.getElementById('rn-charts');
  box.innerHTML = '';
  if (!METRICS.length || !state.x) { box.hidden = true; return; }
  box.hidden = false;
  var t = chartTheme();
  var src = groups ? groups.map(function (g) { return { p: g.p, g: g }; }) : list.filter(function (r) { return true; });
  var xs = axisFor(state.x, groups ? groups : list);
  var axisStyle = { axisLine: { lineStyle: { color: t.border } }, axisLabel: { color: t.muted }, nameTextStyle: { color: t.muted }, splitLine: { lineStyle: { color: t.border, opacity: 0.5 } } };
  var els = METRICS.map(function (m) {
    var el = document.createElement('div');
    el.className = 'rn-chart';
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', m + ' against ' + state.x);
    box.appendChild(el);
    return el;
  });
  var wide = null;
  if (VARYING.length >= 2) {
    wide = document.createElement('div');
    wide.className = 'rn-chart rn-chart-wide';
    wide.setAttribute('role', 'img');
    wide.setAttribute('aria-label', 'parallel coordinates of the parameters and results');
    box.appendChild(wide);
  }
  var size = sizeOf(els[0]), wideSize = wide ? sizeOf(wide) : null;
  METRICS.forEach(function (m, mi) {
    var el = els[mi];
    var chart = echarts.init(el, dark ? 'dark' : null, { renderer: RENDERER, width: size.width, height: size.height });
    var opt = baseOption(m, t);
    opt.xAxis = Object.assign({}, xs, axisStyle);
    delete opt.xAxis.pos;
    opt.yAxis = Object.assign({ type: 'value', scale: true, name: m, nameLocation: 'middle', nameGap: 44 }, axisStyle);
    opt.series = [];
    seriesOf(src).forEach(function (pair) {
      var name = pair[0];
      if (groups) {
        var pts = pair[1].filter(function (x) { return x.g.r[m] && x.p[state.x] !== undefined; }).map(function (x) { var s = x.g.r[m]; return { value: [xs.pos(x.p[state.x]), s.mean], lo: s.std === null ? s.mean : s.mean - s.std, hi: s.std === null ? s.mean : s.mean + s.std, s: s, g: x.g }; });
        pts.sort(function (a, b) { return typeof a.value[0] === 'number' ? a.value[0] - b.value[0] : xs.data.indexOf(a.value[0]) - xs.data.indexOf(b.value[0]); });
        opt.series.push({ type: 'line', name: name, data: pts, symbolSize: 7, tooltip: { formatter: function (p) { var s = p.data.s; return esc(name) + '<br>' + esc(state.x) + ' = ' + esc(text(p.data.value[0])) + '<br><b>' + esc(m) + ' = ' + fmtNum(s.mean) + (s.std === null ? '' : ' \u00b1 ' + fmtNum(s.std)) + '</b> (n = ' + s.n + ')'; } } });
        opt.series.push({ type: 'custom', name: name, data: pts.map(function (p) { return [p.value[0], p.lo, p.hi]; }), z: 1, silent: true, renderItem: function (params, api) {
          var x = api.value(0), a = api.coord([x, api.value(1)]), b = api.coord([x, api.value(2)]), w = 4;
          var st = { stroke: api.visual('color'), lineWidth: 1.4 };
          return { type: 'group', children: [{ type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: st }, { type: 'line', shape: { x1: a[0] - w, y1: a[1], x2: a[0] + w, y2: a[1] }, style: st }, { type: 'line', shape: { x1: b[0] - w, y1: b[1], x2: b[0] + w, y2: b[1] }, style: st }] };
        } });
      } else {
        var data = pair[1].filter(function (r) { return typeof r.r[m] === 'number' && r.p[state.x] !== undefined; }).map(function (r) { return { value: [xs.pos(r.p[state.x]), r.r[m]], run: r }; });
        opt.series.push({ type: 'scatter', name: name, data: data, symbolSize: 8, tooltip: { formatter: function (p) { var r = p.data.run; return '#' + r.i + ' ' + esc(r.n || r.auto || '') + '<br>' + esc(state.x) + ' = ' + esc(text(r.p[state.x])) + '<br><b>' + esc(m) + ' = ' + esc(fmtNum(r.r[m])) + '</b>'; } } });
      }
    });
    chart.setOption(opt);
    chart.on('click', function (p) { var r = p.data && p.data.run; if (r && r.h) location.href = r.h; });
    charts.push(chart);
  });
  if (wide) drawParallel(wide, wideSize, groups ? groups : list, t, !!groups);
}
function drawParallel(el, size, list, t, isGroups) {
  var dims = VARYING.filter(function (k) { return !isGroups || k !== state.group; }).map(function (k) { return { k: k, p: true }; }).concat(METRICS.map(function (m) { return { k: m, p: false }; }));
  var axes = dims.map(function (d, i) {
    var vals = [], seen = {};
    list.forEach(function (r) { var v = d.p ? r.p[d.k] : val(r.r[d.k]); var t = key(v); if (v !== undefined && !(t in seen)) { seen[t] = 1; vals.push(v); } });
    var numeric = vals.every(function (v) { return typeof v === 'number'; });
    var ax = { dim: i, name: d.k, nameTextStyle: { color: t.muted }, axisLine: { lineStyle: { color: t.border } }, axisLabel: { color: t.muted } };
    if (numeric) ax.scale = true; else { ax.type = 'category'; ax.data = vals.map(text).sort(); }
    d.numeric = numeric;
    return ax;
  });
  var data = list.map(function (r) { return dims.map(function (d) { var v = d.p ? r.p[d.k] : val(r.r[d.k]); return v === undefined ? null : d.numeric ? v : text(v); }); });
  var opt = baseOption('parameters and results', t);
  delete opt.grid;
  delete opt.legend;
  opt.parallel = { left: 60, right: 120, top: 50, bottom: 30 };
  opt.parallelAxis = axes;
  var colorDim = dims.length - METRICS.length;
  if (METRICS.length) {
    var vs = data.map(function (d) { return d[colorDim]; }).filter(function (v) { return typeof v === 'number'; });
    if (vs.length) opt.visualMap = { show: true, dimension: colorDim, min: Math.min.apply(null, vs), max: Math.max.apply(null, vs), right: 10, top: 'middle', itemHeight: 120, itemWidth: 12, text: [METRICS[0], ''], textStyle: { color: t.muted }, inRange: { color: ['#5470c6', '#91cc75', '#fac858', '#ee6666'] } };
  }
  opt.series = [{ type: 'parallel', lineStyle: { width: 1.2, opacity: 0.6 }, data: data }];
  var chart = echarts.init(el, dark ? 'dark' : null, { renderer: RENDERER, width: size.width, height: size.height });
  chart.setOption(opt);
  charts.push(chart);
}

// ---- compare two runs
function outputsText(o) { var m = {}; (o || []).forEach(function (c) { m[c[0]] = c; }); return m; }
function renderCompare() {
  var box = document.getElementById('rn-compare');
  var pair = state.sel.map(function (i) { return rows.filter(function (r) { return r.i === i; })[0]; }).filter(Boolean);
  document.getElementById('rn-compare-hint').textContent = pair.length === 2 ? '' : pair.length === 1 ? 'Pick one more run to compare.' : 'Tick two runs to compare them.';
  if (pair.length !== 2) { box.hidden = true; box.innerHTML = ''; return; }
  var a = pair[0], b = pair[1];
  var link = function (r) { return r.h ? '<a href="' + esc(r.h) + '">#' + r.i + ' ' + esc(r.n || r.auto || '') + '</a>' : '#' + r.i; };
  var rowsHtml = [];
  var line = function (label, x, y) { var same = text(x) === text(y); rowsHtml.push('<tr class="' + (same ? 'rn-same' : 'rn-diff') + '"><th scope="row">' + esc(label) + '</th>' + cell(x) + cell(y) + '</tr>'); };
  line('status', a.s, b.s);
  RESULTS.forEach(function (m) { line(m, a.r[m], b.r[m]); });
  PARAMS.forEach(function (k) { line(k, a.p[k], b.p[k]); });
  line('duration (s)', a.d === null ? undefined : a.d, b.d === null ? undefined : b.d);
  var oa = outputsText(a.o), ob = outputsText(b.o), cells = [];
  var ids = Object.keys(oa).concat(Object.keys(ob).filter(function (k) { return !(k in oa); })).map(Number).sort(function (x, y) { return x - y; });
  ids.forEach(function (id) {
    var ca = oa[id], cb = ob[id];
    var ka = ca ? ca[2] : {}, kb = cb ? cb[2] : {};
    var keys = Object.keys(ka).concat(Object.keys(kb).filter(function (k) { return !(k in ka); }));
    var diffs = keys.filter(function (k) { return ka[k] !== kb[k]; }).map(function (k) {
      var nl = function (t) { return t === undefined || t === '' ? '' : /\n$/.test(t) ? t : t + '\n'; };
      var patch = Diff.createTwoFilesPatch('#' + a.i + ' ' + k, '#' + b.i + ' ' + k, nl(ka[k]), nl(kb[k]), undefined, undefined, { context: 3 });
      var lines = patch.replace(/\n$/, '').split('\n');
      while (lines.length && !/^@@/.test(lines[0])) lines.shift();
      var body = ('<span class="rn-hunk">' + esc(k) + ': #' + a.i + (k in ka ? '' : ' (none)') + ' \u2192 #' + b.i + (k in kb ? '' : ' (none)') + '</span>\n') + lines.map(function (l) { return '<span class="' + (l[0] === '+' ? 'rn-add' : l[0] === '-' ? 'rn-del' : l[0] === '@' ? 'rn-hunk' : '') + '">' + esc(l) + '</span>'; }).join('\n');
      return '<pre class="rn-diff-text" aria-label="' + esc(k) + ' differs">' + body + '</pre>';
    });
    var first = (ca || cb)[1];
    cells.push('<div class="rn-cmp-cell ' + (diffs.length ? 'rn-cmp-differs' : 'rn-cmp-same') + '"><div class="rn-cmp-head">cell ' + id + ' <code>' + esc(first) + '</code> <span>' + (diffs.length ? 'outputs differ' : 'same outputs') + '</span></div>' + diffs.join('') + '</div>');
  });
  box.innerHTML = '<h2>Compare ' + link(a) + ' and ' + link(b) + ' <button type="button" id="rn-compare-clear">Clear</button></h2>' +
    '<table class="rn-kv rn-cmp-table"><thead><tr><th></th><th scope="col">#' + a.i + '</th><th scope="col">#' + b.i + '</th></tr></thead><tbody>' + rowsHtml.join('') + '</tbody></table>' +
    '<h3>Outputs, cell by cell</h3>' + (cells.length ? cells.join('') : '<p class="rn-muted">No outputs recorded for these runs.</p>') + (D.outputsCut ? '<p class="rn-muted">Long outputs are cut in this page; the run pages have them whole.</p>' : '');
  box.hidden = false;
  document.getElementById('rn-compare-clear').addEventListener('click', function () { state.sel = []; update(); });
}

// ---- wiring
var counter = document.getElementById('rn-count');
function update(first) {
  saveState();
  var list = sortList(filtered());
  var groups = state.group ? sortList(grouped(filtered())) : null;
  counter.textContent = (groups ? groups.length + ' groups of ' : '') + list.length + ' of ' + rows.length + ' runs';
  drawCharts(list, groups);
  if (first) document.documentElement.setAttribute('data-charts-ms', String(Math.round(performance.now())));
  renderTable(list, groups);
  renderCompare();
  document.querySelectorAll('[data-term]').forEach(function (b) { b.setAttribute('aria-pressed', (' ' + state.q + ' ').indexOf(' ' + b.getAttribute('data-term') + ' ') >= 0 ? 'true' : 'false'); });
}
function options(sel, list, none) {
  sel.innerHTML = (none ? '<option value="">' + esc(none) + '</option>' : '') + list.map(function (k) { return '<option>' + esc(k) + '</option>'; }).join('');
}
var q = document.getElementById('rn-filter');
var gsel = document.getElementById('rn-group'), xsel = document.getElementById('rn-x'), ssel = document.getElementById('rn-series');
options(gsel, VARYING, 'no grouping');
options(xsel, VARYING, VARYING.length ? '' : 'no parameter varies');
options(ssel, VARYING, 'one series');
q.value = state.q; gsel.value = state.group; xsel.value = state.x; ssel.value = state.s;
var timer;
function saveState() { try { history.replaceState(null, '', '#' + encodeURIComponent(JSON.stringify(state))); } catch (e) { /* file:// in some browsers */ } }
q.addEventListener('input', function () { state.q = q.value; saveState(); clearTimeout(timer); timer = setTimeout(update, 120); });
gsel.addEventListener('change', function () { state.group = gsel.value; update(); });
xsel.addEventListener('change', function () { state.x = xsel.value; update(); });
ssel.addEventListener('change', function () { state.s = ssel.value; update(); });
document.addEventListener('click', function (e) {
  var t = e.target.closest && e.target.closest('[data-sort],[data-term]');
  if (!t) return;
  if (t.hasAttribute('data-sort')) {
    var c = t.getAttribute('data-sort');
    state.dir = state.sort === c ? -state.dir : 1;
    state.sort = c;
  } else {
    var term = t.getAttribute('data-term'), words = q.value.split(/\s+/).filter(Boolean), at = words.indexOf(term);
    if (at >= 0) words.splice(at, 1); else words.push(term);
    q.value = state.q = words.join(' ');
  }
  update();
  var again = document.querySelector('[data-sort="' + (t.getAttribute('data-sort') || '').replace(/"/g, '\\"') + '"]');
  if (again && t.hasAttribute('data-sort')) again.focus();
});
document.addEventListener('change', function (e) {
  var p = e.target.getAttribute && e.target.getAttribute('data-pick');
  if (p === null || p === undefined) return;
  var i = Number(p), at = state.sel.indexOf(i);
  if (e.target.checked && at < 0) { state.sel.push(i); if (state.sel.length > 2) state.sel.shift(); }
  if (!e.target.checked && at >= 0) state.sel.splice(at, 1);
  update();
  if (state.sel.length === 2) document.getElementById('rn-compare').scrollIntoView({ block: 'nearest' });
});
document.addEventListener('keydown', function (e) {
  if (e.key === '/' && document.activeElement !== q) { e.preventDefault(); q.focus(); q.select(); }
  else if (e.key === 'Escape' && document.activeElement === q) { q.value = ''; state.q = ''; update(); }
});
function resizeCharts() { charts.forEach(function (c) { var el = c.getDom(); c.resize(sizeOf(el)); }); }
var resizing;
window.addEventListener('resize', function () { clearTimeout(resizing); resizing = setTimeout(resizeCharts, 100); });
window.addEventListener('beforeprint', resizeCharts);
if (matchMedia) matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function (e) { dark = e.matches; themeCache = null; update(); });
update(true);
// Milliseconds from navigation start to the table and charts drawn (read by the bench).
document.documentElement.setAttribute('data-ready-ms', String(Math.round(performance.now())));
document.documentElement.setAttribute('data-ready', '1');
if (D.live) setTimeout(function () { location.reload(); }, D.reloadSec * 1000);
})();`;

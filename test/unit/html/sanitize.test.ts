import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderNotebookHtml } from '../../../src/html/index.js';
import { sanitizeHtml } from '../../../src/html/sanitize.js';
import { bodyOf, cellHtml, code, md, notebook, result } from './helpers.js';

describe('sanitizer', () => {
  test('removes scripts, event handlers, javascript: links, frames, objects and forms', () => {
    const out = sanitizeHtml(
      '<p onclick="x()">hi</p><script>alert(1)</script><img src="data:image/png;base64,AAAA" onerror="x()">' +
        '<a href="javascript:alert(1)">j</a><a href="https://example.com" target="_blank">ok</a>' +
        '<iframe src="https://example.com"></iframe><object data="x"></object><embed src="x"><form action="/x"><input name="q"></form>' +
        '<base href="https://evil/"><meta http-equiv="refresh" content="0;url=https://evil/"><link rel="stylesheet" href="https://x/y.css">',
    );
    assert.doesNotMatch(out, /<script|onclick|onerror|javascript:|<iframe|<object|<embed|<form|<base|<meta|<link|alert/i);
    assert.match(out, /<p>hi<\/p>/);
    assert.match(out, /<img src="data:image\/png;base64,AAAA" \/>|<img src="data:image\/png;base64,AAAA">/);
    assert.match(out, /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer">ok<\/a>/);
  });

  test('keeps pandas tables, their classes and safe inline styles', () => {
    const out = sanitizeHtml('<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>a</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>');
    assert.equal(out, '<table border="1" class="dataframe"><thead><tr style="text-align:right"><th>a</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>');
  });

  test('drops inline styles that could fetch something or cover the page', () => {
    const out = sanitizeHtml('<div style="background: url(https://x/y.png); color: red">a</div><div style="position: fixed; top: 0">b</div>');
    assert.doesNotMatch(out, /url\(|fixed/);
    assert.match(out, /color:red/);
  });

  test('images must be data URIs; others leave a note with their address', () => {
    const out = sanitizeHtml('<img src="https://example.com/a.png" alt="chart"><img src="//example.com/b.png">');
    assert.doesNotMatch(out, /<img/);
    assert.match(out, /<span class="rn-missing-img" title="https:\/\/example.com\/a.png">\[image not embedded: chart: https:\/\/example.com\/a.png\]<\/span>/);
  });

  test('inline <svg> becomes an image, so its scripts cannot run', () => {
    const out = sanitizeHtml('<div><svg width="4" height="4" onload="x()"><script>alert(1)</script><svg><rect/></svg></svg>after</div>');
    const m = /<img class="rn-inline-svg" alt="[^"]*" src="data:image\/svg\+xml;base64,([^"]+)" \/>after/.exec(out) ?? /<img class="rn-inline-svg" alt="[^"]*" src="data:image\/svg\+xml;base64,([^"]+)">after/.exec(out);
    assert.ok(m, out);
    const svg = Buffer.from(m[1]!, 'base64').toString();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="4"/);
    assert.match(svg, /<\/svg><\/svg>$/);
  });

  test('<style> blocks are cleaned and scoped to their own output', () => {
    const out = sanitizeHtml('<style>@import url(https://x/a.css); #T_1 td { background: url(https://x/b.png); color: red; position: fixed }</style><table id="T_1"></table>', {
      scope: '#cell-2-out-0',
    });
    assert.match(out, /^<style>@scope \(#cell-2-out-0\) \{/);
    assert.doesNotMatch(out, /@import|https:|fixed/);
    assert.match(out, /color: red/);
  });

  test('without a scope, <style> blocks are dropped', () => {
    assert.equal(sanitizeHtml('<style>p { color: red }</style><p>x</p>'), '<p>x</p>');
  });
});

describe('trust', () => {
  const evil = '<div id="d">x</div><script>document.title = "PWNED"</script><img src="x.png" onerror="alert(1)">';
  const nb = notebook([md('<script>alert("md")</script>\n\n**bold**'), code('HTML(x)', [result({ 'text/html': evil })])]);

  test('by default outputs and markdown are sanitized, a note says scripts were dropped, and a CSP forbids scripts and requests', () => {
    const html = renderNotebookHtml(nb);
    const body = bodyOf(html);
    assert.doesNotMatch(body, /<script|onerror|PWNED|alert/);
    assert.match(cellHtml(html, 0), /<strong>bold<\/strong>/);
    assert.match(cellHtml(html, 1), /Scripts in this output were not run/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /img-src data:/);
  });

  test('--trust keeps raw HTML and scripts, and drops the CSP', () => {
    const html = renderNotebookHtml(nb, { trust: true });
    assert.match(cellHtml(html, 1), /<script>document.title = "PWNED"<\/script>/);
    assert.match(cellHtml(html, 0), /<script>alert\("md"\)<\/script>/);
    assert.doesNotMatch(html, /Content-Security-Policy/);
  });
});

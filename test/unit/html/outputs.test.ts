import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderNotebookHtml } from '../../../src/html/index.js';
import { pickMime } from '../../../src/html/outputs.js';
import { applyTerminalControls, ansiToHtml } from '../../../src/html/text.js';
import { bodyOf, cellHtml, code, display, notebook, PNG_1PX, result } from './helpers.js';

describe('MIME priority', () => {
  test('follows JupyterLab: html > markdown > latex > svg > png > json > plain', () => {
    const all = {
      'text/plain': 'p',
      'application/json': {},
      'image/png': PNG_1PX,
      'image/svg+xml': '<svg/>',
      'text/latex': '$x$',
      'text/markdown': 'm',
      'text/html': '<b>h</b>',
    };
    const order = ['text/html', 'text/markdown', 'text/latex', 'image/svg+xml', 'image/png', 'application/json', 'text/plain'];
    const bundle: Record<string, unknown> = { ...all };
    for (const expected of order) {
      assert.equal(pickMime(bundle as never, false), expected);
      delete bundle[expected];
    }
    assert.equal(pickMime({}, false), undefined);
  });

  test('raster formats rank png > jpeg > gif', () => {
    assert.equal(pickMime({ 'image/gif': 'x', 'image/jpeg': 'x', 'image/png': 'x' }, false), 'image/png');
    assert.equal(pickMime({ 'image/gif': 'x', 'image/jpeg': 'x' }, false), 'image/jpeg');
  });

  test('javascript is only a candidate when trusted', () => {
    const b = { 'application/javascript': 'x', 'text/plain': 'p' };
    assert.equal(pickMime(b, false), 'text/plain');
    assert.equal(pickMime(b, true), 'application/javascript');
  });

  test('the chosen representation is the only one rendered', () => {
    const html = renderNotebookHtml(notebook([code('df', [result({ 'text/html': '<table class="dataframe"><tr><td>42</td></tr></table>', 'text/plain': 'PLAIN-REPR' })])]));
    const cell = cellHtml(html, 0);
    assert.match(cell, /<td>42<\/td>/);
    assert.doesNotMatch(cell, /PLAIN-REPR/);
  });
});

describe('outputs', () => {
  test('prompts show execution counts; display_data has no Out prompt', () => {
    const html = renderNotebookHtml(
      notebook([code('x', [display({ 'text/plain': 'shown' }), result({ 'text/plain': '42' }, {}, 7)], {}, 7), code('y', [], {}, null)]),
    );
    const c0 = cellHtml(html, 0);
    assert.match(c0, /In\u00a0\[7\]:/);
    assert.equal(c0.match(/Out\u00a0\[7\]:/g)?.length, 1);
    assert.match(cellHtml(html, 1), /In\u00a0\[\u00a0\]:/);
  });

  test('images are embedded, honour width/height metadata and needs_background', () => {
    const html = renderNotebookHtml(
      notebook([
        code('img', [
          display({ 'image/png': `${PNG_1PX.slice(0, 20)}\n${PNG_1PX.slice(20)}\n`, 'text/plain': '<Figure>' }, { 'image/png': { width: 320, height: 200 }, needs_background: 'light' }),
          display({ 'image/jpeg': '/9j/AAAA' }),
          display({ 'image/gif': 'R0lGODlhAQABAAAAACw=' }),
        ]),
      ]),
    );
    const c = cellHtml(html, 0);
    assert.ok(c.includes(`src="data:image/png;base64,${PNG_1PX}" width="320" height="200"`), 'base64 line breaks removed, size kept');
    assert.match(c, /class="rn-image rn-needs-light"/);
    assert.match(c, /src="data:image\/jpeg;base64,\/9j\/AAAA"/);
    assert.match(c, /src="data:image\/gif;base64,R0lGODlhAQABAAAAACw="/);
  });

  test('SVG is shown as an <img> data URI, never inline', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
    const html = renderNotebookHtml(notebook([code('svg', [display({ 'image/svg+xml': svg })])]));
    const c = cellHtml(html, 0);
    assert.doesNotMatch(c, /<svg/);
    const m = /<img class="rn-image" alt="SVG output" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(c);
    assert.ok(m);
    assert.equal(Buffer.from(m[1]!, 'base64').toString('utf8'), svg);
  });

  test('an output type the page cannot show gets a note naming it', () => {
    const html = renderNotebookHtml(notebook([code('x', [display({ 'application/vnd.vegalite.v5+json': { mark: 'bar' } })])]));
    assert.match(cellHtml(html, 0), /class="rn-note">Output of type <code>application\/vnd.vegalite.v5\+json<\/code> cannot be shown/);
  });

  test('a widget without state says so', () => {
    const html = renderNotebookHtml(notebook([code('w', [display({ 'application/vnd.jupyter.widget-view+json': { model_id: 'a' } })])]));
    assert.match(cellHtml(html, 0), /interactive widget/);
  });

  test('untrusted JavaScript output is named, not run and not shown as its repr', () => {
    const nb = notebook([code('js', [result({ 'application/javascript': 'window.x = 1', 'text/plain': '<IPython.core.display.Javascript object>' })])]);
    const safe = cellHtml(renderNotebookHtml(nb), 0);
    assert.match(safe, /JavaScript output .* was not run/);
    assert.doesNotMatch(safe, /<script/);
    assert.doesNotMatch(safe, /Javascript object/);
    const trusted = cellHtml(renderNotebookHtml(nb, { trust: true }), 0);
    assert.match(trusted, /<script>window.x = 1<\/script>/);
  });

  test('json output is pretty-printed', () => {
    const html = renderNotebookHtml(notebook([code('j', [display({ 'application/json': { a: [1, 2] } })])]));
    assert.match(cellHtml(html, 0), /class="rn-text rn-json"/);
    assert.match(cellHtml(html, 0), /&quot;a&quot;|"a"/);
  });

  test('consecutive streams of one name merge; stderr is marked apart', () => {
    const html = renderNotebookHtml(
      notebook([
        code('p', [
          { output_type: 'stream', name: 'stdout', text: 'one\n' },
          { output_type: 'stream', name: 'stdout', text: 'two\n' },
          { output_type: 'stream', name: 'stderr', text: 'warn\n' },
        ]),
      ]),
    );
    const c = cellHtml(html, 0);
    assert.match(c, /<pre class="rn-stream rn-stream-stdout">one\ntwo<\/pre>/);
    assert.match(c, /<pre class="rn-stream rn-stream-stderr" aria-label="standard error">warn<\/pre>/);
  });

  test('a long stream gets a scroll box and a line count', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const c = cellHtml(renderNotebookHtml(notebook([code('p', [{ output_type: 'stream', name: 'stdout', text }])])), 0);
    assert.match(c, /<div class="rn-long" tabindex="0">/);
    assert.match(c, /500 lines/);
    assert.match(c, /line 499/);
  });

  test('tracebacks turn ANSI colours into classes and escape HTML', () => {
    const tb = ['\u001b[31mValueError\u001b[39m: bad <value>', '\u001b[38;5;28;01mreturn\u001b[39;00m x'];
    const c = cellHtml(renderNotebookHtml(notebook([code('x', [{ output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: tb }])])), 0);
    assert.match(c, /<span class="ansi-red-fg">ValueError<\/span>: bad &lt;value&gt;/);
    assert.match(c, /style="font-weight:bold;color:rgb\(0,135,0\)"|style="color:rgb\(0,135,0\);font-weight:bold"|font-weight:bold/);
    assert.doesNotMatch(c, /\u001b/);
    assert.match(c, /rn-traceback-box/);
  });

  test('text/latex output is typeset; text outside the delimiters is kept', () => {
    const c = cellHtml(renderNotebookHtml(notebook([code('x', [result({ 'text/latex': 'Result: $\\frac{1}{2}$', 'text/plain': '1/2' })])])), 0);
    assert.match(c, /Result: <span class="katex">/);
    assert.doesNotMatch(c, /\$\\frac/);
  });

  test('text/latex that KaTeX cannot typeset falls back to text', () => {
    const c = cellHtml(renderNotebookHtml(notebook([code('x', [result({ 'text/latex': '\\begin{tabular}{ll} a & b \\end{tabular}' })])])), 0);
    assert.match(c, /<pre class="rn-text">\\begin\{tabular\}/);
  });
});

describe('terminal text', () => {
  test('carriage returns overwrite the line, as a terminal shows it', () => {
    assert.equal(applyTerminalControls('10%\r50%\r100%\nnext'), '100%\nnext');
    assert.equal(applyTerminalControls('abcdef\rXY'), 'XYcdef');
    assert.equal(applyTerminalControls('done\r\n'), 'done\n');
  });

  test('backspaces delete the previous character', () => {
    assert.equal(applyTerminalControls('abc\b\bX'), 'aX');
  });

  test('plain text is only escaped', () => {
    assert.equal(ansiToHtml('<a> & "b"'), '&lt;a&gt; &amp; &quot;b&quot;');
  });
});

describe('hiding parts', () => {
  const outputs = [display({ 'text/plain': 'THE-OUTPUT' })];
  const cells = [
    code('SRC_PLAIN', outputs),
    code('SRC_REMOVE_INPUT', outputs, { metadata: { tags: ['remove-input'] } }),
    code('SRC_REMOVE_OUTPUT', [display({ 'text/plain': 'HIDDEN-OUTPUT' })], { metadata: { tags: ['remove-output'] } }),
    code('SRC_REMOVE_CELL', [display({ 'text/plain': 'GONE-OUTPUT' })], { metadata: { tags: ['remove-cell'] } }),
    code('SRC_SOURCE_HIDDEN', outputs, { metadata: { jupyter: { source_hidden: true } } }),
    code('SRC_OUTPUTS_HIDDEN', [display({ 'text/plain': 'COLLAPSED-OUTPUT' })], { metadata: { jupyter: { outputs_hidden: true } } }),
  ];

  test('tags remove-input, remove-output and remove-cell', () => {
    const html = bodyOf(renderNotebookHtml(notebook(cells)));
    assert.match(cellHtml(html, 0), /SRC_PLAIN/);
    assert.doesNotMatch(cellHtml(html, 1), /SRC_REMOVE_INPUT/);
    assert.match(cellHtml(html, 1), /THE-OUTPUT/);
    assert.match(cellHtml(html, 2), /SRC_REMOVE_OUTPUT/);
    assert.doesNotMatch(html, /HIDDEN-OUTPUT/);
    assert.doesNotMatch(html, /SRC_REMOVE_CELL|GONE-OUTPUT/);
    assert.match(html, /<div class="rn-cell rn-cell-removed" id="cell-3"><\/div>/, 'the anchor stays for links');
  });

  test('source_hidden and outputs_hidden collapse, as JupyterLab shows them', () => {
    const html = bodyOf(renderNotebookHtml(notebook(cells)));
    assert.match(cellHtml(html, 4), /<details class="rn-hidden"><summary[^>]*>⋯ code hidden<\/summary><pre class="rn-source">.*SRC_SOURCE_HIDDEN/s);
    assert.match(cellHtml(html, 5), /<details class="rn-hidden"><summary[^>]*>⋯ output hidden<\/summary>.*COLLAPSED-OUTPUT/s);
  });

  test('noInput hides every input and prompt but keeps outputs and markdown', () => {
    const html = renderNotebookHtml(notebook([...cells, { cell_type: 'markdown', source: 'PROSE', metadata: {} }]), { noInput: true });
    const body = bodyOf(html);
    assert.doesNotMatch(body, /SRC_/);
    assert.match(body, /THE-OUTPUT/);
    assert.match(body, /PROSE/);
    assert.match(body, /<body class="rn-noprompts">/);
  });
});

describe('raw cells and edge cases', () => {
  test('raw cells: text/html and text/markdown are rendered, others shown as text', () => {
    const raw = (source: string, fmt?: string) => ({ cell_type: 'raw', source, metadata: fmt ? { raw_mimetype: fmt } : {} }) as never;
    const html = renderNotebookHtml(notebook([raw('<b>bold</b><script>x()</script>', 'text/html'), raw('*em*', 'text/markdown'), raw('\\section{x} <tag>')]));
    assert.match(cellHtml(html, 0), /<b>bold<\/b>/);
    assert.doesNotMatch(cellHtml(html, 0), /<script/);
    assert.match(cellHtml(html, 1), /<em>em<\/em>/);
    assert.match(cellHtml(html, 2), /<pre class="rn-raw">\\section\{x\} &lt;tag&gt;<\/pre>/);
    assert.doesNotMatch(bodyOf(renderNotebookHtml(notebook([raw('RAWTEXT')]), { noInput: true })), /RAWTEXT/);
  });

  test('an empty notebook and one with on-disk style arrays still render', () => {
    assert.match(renderNotebookHtml(notebook([])), /<div class="rn-cells">\n<\/div>/);
    const arrays = notebook([
      code(['a = 1\n', 'a'] as never, [
        { output_type: 'stream', name: 'stdout', text: ['x\n', 'y\n'] } as never,
        result({ 'text/plain': ['1', '2'] }),
      ]),
    ]);
    const c = cellHtml(renderNotebookHtml(arrays), 0);
    assert.match(c, /a = <span class="hljs-number">1<\/span>\na/);
    assert.match(c, /x\ny/);
    assert.match(c, />12<\/pre>/);
  });
});

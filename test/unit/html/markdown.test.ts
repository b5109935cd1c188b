import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderNotebookHtml } from '../../../src/html/index.js';
import { findMath } from '../../../src/html/math.js';
import { bodyOf, cellHtml, md, notebook, PNG_1PX } from './helpers.js';

const render1 = (source: string, extra = {}, opts = {}): string => cellHtml(renderNotebookHtml(notebook([md(source, extra)]), opts), 0);

describe('markdown', () => {
  test('GFM tables and task lists', () => {
    const c = render1('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo');
    assert.match(c, /<table>\s*<thead>\s*<tr>\s*<th>a<\/th>/);
    assert.equal(c.match(/<input type="checkbox"[^>]*disabled/g)?.length, 2);
    assert.equal(c.match(/<input type="checkbox" checked/g)?.length, 1);
  });

  test('headings get Jupyter-style ids and anchor links, unique across cells', () => {
    const html = renderNotebookHtml(notebook([md('# My Section\n\n## Results & Notes'), md('# My Section')]));
    const body = bodyOf(html);
    assert.match(body, /<h1 id="My-Section">My Section<a class="rn-anchor" href="#My-Section"/);
    assert.match(body, /<h2 id="Results-&amp;-Notes">/);
    assert.match(body, /<h1 id="My-Section-1">/);
  });

  test('fenced code is highlighted by its language', () => {
    const c = render1('```python\ndef f():\n    return 1\n```');
    assert.match(c, /<code class="hljs language-python"><span class="hljs-keyword">def<\/span>/);
  });

  test('code cells are highlighted by the notebook language', () => {
    const html = renderNotebookHtml(notebook([{ cell_type: 'code', source: 'fn main() {}', metadata: {}, execution_count: 1, outputs: [] }], 'rust'));
    assert.match(cellHtml(html, 0), /class="hljs language-rust"><span class="hljs-keyword">fn<\/span>/);
  });
});

describe('math', () => {
  test('inline and display math in every delimiter is typeset, no raw TeX left', () => {
    const c = render1('Inline $a_1 * b_2 * c_3$ and \\(x^2\\).\n\n$$\\int_0^1 f$$\n\n\\[\\sum_k k\\]\n\n\\begin{align}a &= b\\end{align}');
    assert.equal(c.match(/class="katex"/g)?.length, 5);
    assert.equal(c.match(/class="katex-display"/g)?.length, 3);
    // The TeX survives only inside MathML annotations.
    const visible = c.replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, '');
    assert.doesNotMatch(visible, /\$|\\\(|\\\[|\\begin/);
    assert.doesNotMatch(c, /<em>|<strong>/, 'underscores and stars inside math are not emphasis');
  });

  test('code spans, fenced code and escaped dollars are not math', () => {
    const c = render1('Use `$HOME` here; costs \\$5 and \\$6.\n\n```\n$not math$\n```');
    assert.match(c, /<code>\$HOME<\/code>/);
    assert.match(c, /costs \$5 and \$6/);
    assert.match(c, /\$not math\$/);
    assert.doesNotMatch(c, /katex/);
  });

  test('a macro defined in one cell works in a later cell', () => {
    const html = renderNotebookHtml(notebook([md('$\\newcommand{\\vv}{\\mathbf{v}}$'), md('$\\vv$')]));
    const c = cellHtml(html, 1);
    assert.doesNotMatch(c, /katex-error/);
    assert.match(c, /mathbf/);
  });

  test('KaTeX CSS and only the fonts in use are embedded, and only when there is math', () => {
    const none = renderNotebookHtml(notebook([md('no math here')]));
    assert.doesNotMatch(none, /KaTeX_/);
    const simple = renderNotebookHtml(notebook([md('$x + 1$')]));
    const faces = [...simple.matchAll(/@font-face\{font-family:(KaTeX_\w+);src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]+\) format\("woff2"\);font-weight:(\w+);font-style:(\w+)/g)].map(
      (m) => `${m[1]}/${m[2]}/${m[3]}`,
    );
    assert.deepEqual(faces.sort(), ['KaTeX_Main/normal/normal', 'KaTeX_Math/normal/italic']);
    const fancy = renderNotebookHtml(notebook([md('$\\mathbb{R} \\mathcal{L}$')]));
    assert.match(fancy, /@font-face\{font-family:KaTeX_AMS;/);
    assert.match(fancy, /@font-face\{font-family:KaTeX_Caligraphic;/);
    assert.doesNotMatch(fancy, /@font-face\{font-family:KaTeX_Fraktur;/);
  });

  test('findMath finds spans and skips escaped dollars', () => {
    const spans = findMath('a $x$ b \\$ c $$y$$ \\(z\\) \\[w\\]');
    assert.deepEqual(
      spans.map((s) => [s.tex, s.display]),
      [
        ['x', false],
        ['y', true],
        ['z', false],
        ['w', true],
      ],
    );
  });

  test('math in a text/markdown output is typeset too', () => {
    const html = renderNotebookHtml(
      notebook([{ cell_type: 'code', source: 'x', metadata: {}, execution_count: 1, outputs: [{ output_type: 'display_data', data: { 'text/markdown': 'Loss $\\mathcal{L}$' }, metadata: {} }] }]),
    );
    assert.match(cellHtml(html, 0), /rn-md-output">.*class="katex"/s);
  });
});

describe('images in markdown', () => {
  test('attachments are embedded', () => {
    const c = render1('![d](attachment:diagram.png)', { attachments: { 'diagram.png': { 'image/png': PNG_1PX } } });
    assert.ok(c.includes(`<img src="data:image/png;base64,${PNG_1PX}" alt="d"`), c);
  });

  test('local relative images (markdown and raw HTML) are embedded from the notebook folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-html-'));
    writeFileSync(join(dir, 'pic one.png'), Buffer.from(PNG_1PX, 'base64'));
    const c = render1('![a](pic%20one.png)\n\n<img src="pic one.png" width="10">', {}, { notebookDir: dir });
    assert.equal(c.match(new RegExp(`src="data:image/png;base64,${PNG_1PX.replace(/[+/]/g, '\\$&')}"`, 'g'))?.length, 2);
  });

  test('images that cannot be embedded become a note, and nothing points at the network', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-html-'));
    const c = render1('![r](https://example.com/x.png) ![m](missing.png) ![p](/etc/passwd)', {}, { notebookDir: dir });
    assert.equal(c.match(/class="rn-missing-img"/g)?.length, 3);
    assert.doesNotMatch(c, /<img/);
  });

  test('non-image files are never embedded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-html-'));
    writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
    const c = render1('![s](secret.txt)', {}, { notebookDir: dir });
    assert.doesNotMatch(c, new RegExp(Buffer.from('TOP-SECRET').toString('base64')));
    assert.match(c, /rn-missing-img/);
  });
});

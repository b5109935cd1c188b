// Thumbnails in a real sweep's index.html, opened where it lies in headless Chromium: a
// run that wrote an image file shows that file (red), a run whose notebook only shows an
// image output shows that (blue), a run with neither shows none; each is a small embedded
// picture (the page still makes no request), linked relatively to the file or to the run's page.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { processesMentioning, runCli, tempDir } from '../integration/support.js';
import { launch, openFile, screenshot } from './browser.js';

// A PNG from the standard library, so the test needs no plotting package.
const PNG_PY = `import struct, zlib
def png(w, h, rgb):
    raw = b"".join(b"\\x00" + bytes(rgb) * w for _ in range(h))
    chunk = lambda t, d: struct.pack("!I", len(d)) + t + d + struct.pack("!I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")`;

const CELLS = [
  'mode = "none"',
  PNG_PY,
  [
    'import os',
    'from IPython.display import Image, display',
    'from run_notebook import get_result_dir, record',
    'if mode == "file":',
    '    with open(os.path.join(get_result_dir(), "curve.png"), "wb") as f:',
    '        f.write(png(400, 300, (220, 20, 20)))',
    'if mode in ("file", "output"):',
    '    display(Image(data=png(400, 300, (20, 20, 220))))',
    'record("score", len(mode))',
  ].join('\n'),
];

function notebook(dir: string): string {
  const nb = {
    cells: CELLS.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: i === 0 ? { tags: ['parameters'] } : {}, outputs: [], source })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const p = join(dir, 'pics.ipynb');
  writeFileSync(p, JSON.stringify(nb));
  return p;
}

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('index page thumbnails', () => {
  test('the first image file, else the first image output, of each run: embedded, small, linked relatively', async () => {
    const tmp = tempDir('rn-thumbs-');
    writeFileSync(join(tmp, 'sweep.yaml'), 'grid:\n  mode: [file, output, none]\n');
    const dst = join(tmp, 'out');
    const r = await runCli(['--notebook', notebook(tmp), '--config_builder', join(tmp, 'sweep.yaml'), '--dst_dir', dst, '--num_threads', '2'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(processesMentioning(tmp), []);

    const index = join(dst, 'index.html');
    const p = await openFile(browser, index, { viewport: { width: 1280, height: 900 } });
    try {
      await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
      const thumbs = await p.page.evaluate(() =>
        Array.from(document.querySelectorAll('#rn-table tbody tr'), (tr) => {
          const img = tr.querySelector('img.rn-thumb') as HTMLImageElement | null;
          const run = tr.querySelector('td a')?.textContent ?? '';
          if (!img) return { run, img: null };
          // The centre pixel says which picture it is (red file, blue output).
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const g = c.getContext('2d')!;
          g.drawImage(img, 0, 0);
          const [red, , blue] = g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
          return {
            run,
            img: { natural: [img.naturalWidth, img.naturalHeight], shown: [Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)], red, blue, src: img.src.length, href: img.closest('a')?.getAttribute('href') ?? null, title: img.title },
          };
        }),
      );
      assert.deepEqual(p.errors, [], 'no console error');
      assert.deepEqual(p.requests, [], 'no request: the thumbnails are embedded');
      const byRun = Object.fromEntries(thumbs.map((t) => [t.run, t.img]));
      const file = byRun['0'];
      const output = byRun['1'];
      assert.ok(file && output, JSON.stringify(thumbs));
      assert.equal(byRun['2'], null, 'a run without an image has no thumbnail');
      // 400 x 300 fits the 144 x 96 box as 128 x 96, drawn at half size.
      for (const t of [file, output]) {
        assert.deepEqual(t.natural, [128, 96]);
        assert.deepEqual(t.shown, [64, 48]);
        assert.ok(t.src < 4000, `a small embedded picture: ${t.src} characters`);
      }
      assert.ok(file.red > 150 && file.blue < 100, `the file wins over the output: ${JSON.stringify(file)}`);
      assert.ok(output.blue > 150 && output.red < 100, `else the output: ${JSON.stringify(output)}`);
      assert.equal(file.href, 'result_0/curve.png');
      assert.equal(file.title, 'result_0/curve.png');
      assert.equal(output.href, 'result_1/pics.html');
      assert.equal(output.title, 'output of cell 3');
      for (const href of [file.href, output.href]) assert.ok(existsSync(join(dirname(index), href!)), `${href} exists beside index.html`);
      await screenshot(p.page, 'sweep-index-thumbnails', false);
    } finally {
      await p.close();
    }
  });
});

// Issue 17's HTML items in Chromium: hostile image data and metadata stay inert even with the
// Content-Security-Policy removed, highlighting without language_info, celltag_ classes,
// static widget views from saved widget state.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderNotebookHtml, type RenderOptions } from '../../src/html/index.js';
import { readNotebook } from '../../src/notebook/index.js';
import { launch, openHtml, type OpenedPage } from './browser.js';

const FIXTURES = resolve('fixtures/fidelity');

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const CSP_META = /<meta http-equiv="Content-Security-Policy"[^>]*>/;

async function render(fixture: string, opts: RenderOptions = {}): Promise<string> {
  const nb = await readNotebook(resolve(FIXTURES, `${fixture}.ipynb`));
  return renderNotebookHtml(nb, { notebookDir: FIXTURES, title: fixture, ...opts });
}

async function assertInert(p: OpenedPage, title: string): Promise<void> {
  const state = await p.page.evaluate(() => ({
    title: document.title,
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.querySelectorAll('script').length,
    handlers: Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
    svgs: document.querySelectorAll('svg').length,
  }));
  assert.equal(state.pwned, undefined, 'no injected script or handler ran');
  assert.equal(state.title, title, 'the title was not changed');
  assert.equal(state.scripts, 0, 'no script element made it into the page');
  assert.deepEqual(state.handlers, [], 'no element carries an event handler attribute');
  assert.equal(state.svgs, 0, 'no inline svg made it into the page');
}

describe('issue 17: HTML fidelity in Chromium', () => {
  for (const trust of [false, true]) {
    test(`hostile image data and metadata stay inert with the CSP removed${trust ? ' (--trust)' : ''}`, async () => {
      const html = await render('hostile-images', { trust });
      const noCsp = html.replace(CSP_META, '');
      if (!trust) assert.notEqual(noCsp, html, 'the CSP meta tag was there to remove');
      const p = await openHtml(browser, `hostile-images${trust ? '-trusted' : ''}-nocsp`, noCsp);
      try {
        await assertInert(p, 'hostile-images');
        assert.deepEqual(p.requests, [], 'no request');
        const imgs = await p.page.evaluate(() =>
          Array.from(document.images).map((i) => ({ ok: i.complete && i.naturalWidth > 0, w: i.getAttribute('width'), h: i.getAttribute('height'), alt: i.alt })),
        );
        // The hostile-metadata image and the good one, plus the good attachment; nothing else.
        assert.equal(imgs.length, 3, JSON.stringify(imgs));
        for (const i of imgs) assert.ok(i.ok, `image ${i.alt} decoded`);
        assert.deepEqual(imgs.map((i) => [i.w, i.h]), [[null, null], ['40', '30'], [null, null]], 'hostile width/height dropped, valid ones kept');
        const placeholders = await p.page.locator('.rn-bad-image').allInnerTexts();
        assert.equal(placeholders.length, 5, placeholders.join(' | '));
        for (const t of placeholders.slice(0, 4)) assert.match(t, /image\/(png|jpeg|gif) .*not valid base64/);
        assert.match(await p.page.locator('body').innerText(), /The text after the images survives/);
      } finally {
        await p.close();
      }
    });
  }

  test('code without language_info is highlighted by the kernelspec language (R), else as Python', async () => {
    for (const [fixture, lang, keyword] of [['no-language-info', 'r', 'function'], ['no-metadata', 'python', 'def']] as const) {
      const p = await openHtml(browser, fixture, await render(fixture));
      try {
        const code = p.page.locator('.rn-source code');
        assert.match((await code.getAttribute('class')) ?? '', new RegExp(`language-${lang}\\b`));
        const keywords = await p.page.locator('.rn-source code .hljs-keyword').allInnerTexts();
        assert.ok(keywords.includes(keyword), `${fixture}: ${keyword} highlighted as a keyword (got ${JSON.stringify(keywords)})`);
      } finally {
        await p.close();
      }
    }
  });

  test('cell tags appear as celltag_<tag> classes on their cells, as in nbconvert', async () => {
    const p = await openHtml(browser, 'cell-tags', await render('cell-tags'));
    try {
      const classes = await p.page.locator('.rn-cells > .rn-cell').evaluateAll((els) => els.map((e) => Array.from(e.classList).filter((c) => c.startsWith('celltag_'))));
      assert.deepEqual(classes, [['celltag_intro', 'celltag_hide-me'], ['celltag_parameters'], [], ['celltag_raw-note'], ['celltag_odd"><b>tag']]);
      assert.equal(await p.page.locator('.rn-cells b').count(), 0, 'a tag cannot inject markup');
      assert.equal(await p.page.locator('.celltag_parameters .rn-source').count(), 1);
    } finally {
      await p.close();
    }
  });
  test('saved widget state is drawn as static views: values visible, images decoded, inert with the CSP removed', async () => {
    const html = (await render('widgets-saved')).replace(CSP_META, '');
    const p = await openHtml(browser, 'widgets-saved-nocsp', html);
    try {
      await assertInert(p, 'widgets-saved');
      assert.deepEqual(p.requests, [], 'no request: nothing is loaded from a CDN');
      const slider = p.page.locator('#cell-0 .rn-widget');
      assert.equal(await slider.locator('.rn-widget-label').innerText(), 'Speed');
      assert.equal(await slider.locator('.rn-widget-value').innerText(), '7');
      assert.equal(await slider.locator('input[type=range]').inputValue(), '7');
      assert.equal(await slider.locator('input[type=range]').isDisabled(), true);
      assert.equal(await p.page.locator('#cell-2 button').innerText(), 'Go');
      assert.equal(await p.page.locator('#cell-3 select').inputValue(), 'green');
      assert.equal(await p.page.locator('#cell-4 input[type=checkbox]').isChecked(), true);
      assert.match(await p.page.locator('#cell-5 .rn-widget-label').innerText(), /<script>/, 'a hostile description is shown as text');
      const imgs = await p.page.locator('#cell-7 img').evaluateAll((els) => els.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));
      assert.deepEqual(imgs, [true], 'the image widget decoded; the invalid one is a placeholder');
      assert.equal(await p.page.locator('#cell-7 .rn-bad-image').count(), 1);
      assert.equal(await p.page.locator('#cell-8 .rn-widget-VBoxModel button').innerText(), 'Go');
      assert.equal(await p.page.locator('#cell-9 .rn-text').innerText(), 'Fancy()');
      assert.equal(await p.page.locator('#cell-10 .rn-text').innerText(), 'IntSlider(value=42)');
    } finally {
      await p.close();
    }
  });
});

// Every fixture notebook rendered and opened in headless Chromium. Each page must make no
// request, log no error, run no script from the notebook, and show typeset math.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderNotebookHtml, type RenderOptions, type RunHeader } from '../../src/html/index.js';
import { readNotebook } from '../../src/notebook/index.js';
import { launch, openHtml, screenshot, type OpenedPage } from './browser.js';

const FIXTURES = resolve('fixtures/html');

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(fixture: string, opts: RenderOptions = {}, name = fixture, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedPage> {
  const nb = await readNotebook(resolve(FIXTURES, `${fixture}.ipynb`));
  const html = renderNotebookHtml(nb, { notebookDir: FIXTURES, title: fixture, ...opts });
  return openHtml(browser, name, html, { colorScheme });
}

/** What every page must satisfy. */
async function assertClean(p: OpenedPage, title: string): Promise<void> {
  assert.deepEqual(p.errors, [], 'no console errors');
  assert.deepEqual(p.requests, [], 'no network requests');
  const state = await p.page.evaluate(() => ({
    title: document.title,
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    svg: (window as unknown as { __svgScriptRan?: unknown }).__svgScriptRan,
    scripts: document.querySelectorAll('script').length,
  }));
  assert.equal(state.title, title, 'no script changed the title');
  assert.equal(state.pwned, undefined, 'no notebook script ran');
  assert.equal(state.svg, undefined, 'no SVG script ran');
  assert.equal(state.scripts, 0, 'a notebook page carries no script element');
}

/** Text outside KaTeX markup and code, where raw TeX would show if math were not typeset. */
async function proseText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && !el.closest('.katex, code, pre, style')) parts.push(n.textContent ?? '');
    }
    return parts.join('');
  });
}

async function loadedFonts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    document.fonts.forEach((f) => {
      if (f.status === 'loaded') out.push(`${f.family.replace(/"/g, '')}/${f.style}`);
    });
    return out.sort();
  });
}

describe('notebook pages in Chromium', () => {
  test('images: png, jpeg and svg outputs, an attachment and a local file, all embedded', async () => {
    const p = await open('images');
    try {
      await assertClean(p, 'images');
      const imgs = await p.page.evaluate(() =>
        Array.from(document.images).map((i) => ({ src: i.src.split(',')[0], ok: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width, alt: i.alt })),
      );
      assert.equal(imgs.length, 6);
      for (const i of imgs) assert.ok(i.ok, `image ${i.alt} decoded`);
      assert.deepEqual(
        imgs.map((i) => i.src),
        ['data:image/png;base64', 'data:image/png;base64', 'data:image/png;base64', 'data:image/png;base64', 'data:image/svg+xml;base64', 'data:image/jpeg;base64'],
      );
      assert.equal(imgs[3]!.width, 320, 'width metadata honoured');
      assert.equal(await p.page.locator('.rn-missing-img').count(), 1, 'the remote image is a note');
      await screenshot(p.page, 'images');
    } finally {
      await p.close();
    }
  });

  test('math: inline and display math typeset offline with embedded KaTeX fonts', async () => {
    const p = await open('math');
    try {
      await assertClean(p, 'math');
      const katex = await p.page.locator('.katex').count();
      const display = await p.page.locator('.katex-display').count();
      assert.ok(katex >= 12, `typeset formulas: ${katex}`);
      assert.equal(display, 3);
      assert.equal(await p.page.locator('.katex-error').count(), 0);
      const prose = await proseText(p.page);
      assert.doesNotMatch(prose, /\\frac|\\int|\\alpha|\\begin|\\mathbf|\$\$|\\\(|\\\[/, 'no raw TeX in the page text');
      assert.equal(prose.match(/\$/g)?.length, 2, 'only the two escaped prices keep a dollar');
      const fonts = await loadedFonts(p.page);
      assert.ok(fonts.includes('KaTeX_Main/normal') && fonts.includes('KaTeX_Math/italic'), fonts.join(', '));
      await screenshot(p.page, 'math');
    } finally {
      await p.close();
    }
  });

  test('dataframe: a pandas table and a Styler table, styles scoped to their output', async () => {
    const p = await open('dataframe');
    try {
      await assertClean(p, 'dataframe');
      assert.equal(await p.page.locator('table.dataframe tbody tr').count(), 5);
      const styled = await p.page.evaluate(() => getComputedStyle(document.getElementById('T_5f2a1_row0_col1')!).backgroundColor);
      assert.equal(styled, 'rgb(214, 39, 40)', "the Styler's <style> applies inside its output");
      const align = await p.page.evaluate(() => getComputedStyle(document.querySelector('table.dataframe td')!).textAlign);
      assert.equal(align, 'right');
      await screenshot(p.page, 'dataframe');
    } finally {
      await p.close();
    }
  });

  test('traceback: ANSI colours rendered, stderr set apart, no escape codes left', async () => {
    const p = await open('traceback');
    try {
      await assertClean(p, 'traceback');
      const info = await p.page.evaluate(() => ({
        text: Array.from(document.querySelectorAll('.rn-out-body'), (e) => (e as HTMLElement).innerText).join('\n'),
        red: getComputedStyle(document.querySelector('.rn-traceback .ansi-red-fg')!).color,
        stdoutBg: getComputedStyle(document.querySelector('.rn-stream-stdout')!).backgroundColor,
        stderrBg: getComputedStyle(document.querySelector('.rn-stream-stderr')!).backgroundColor,
      }));
      assert.doesNotMatch(info.text, /\u001b|\[3\dm|\[39m/);
      assert.match(info.text, /ZeroDivisionError: division by zero/);
      assert.notEqual(info.red, 'rgb(31, 35, 40)', 'red is not the text colour');
      assert.notEqual(info.stderrBg, info.stdoutBg, 'stderr has its own background');
      await screenshot(p.page, 'traceback');
    } finally {
      await p.close();
    }
  });

  test('script: nothing from an untrusted notebook runs or loads', async () => {
    const p = await open('script');
    try {
      await assertClean(p, 'script');
      assert.equal(await p.page.locator('#scripted').textContent(), 'static text');
      await p.page.locator('#jslink').click().catch(() => undefined);
      assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, 'the javascript: link is inert');
      const bg = await p.page.evaluate(() => getComputedStyle(document.querySelector('.rn-page')!).backgroundImage);
      assert.equal(bg, 'none', "the output's CSS did not reach the page");
      assert.equal(await p.page.locator('iframe, object, embed, link').count(), 0);
      assert.match(await p.page.locator('body').innerText(), /Text after the dangerous bits survives/);
      await screenshot(p.page, 'script');
    } finally {
      await p.close();
    }
  });

  test('script with --trust: the same notebook does run its script (the check above can fail)', async () => {
    const p = await open('script', { trust: true }, 'script-trusted');
    try {
      const pwned = await p.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
      assert.notEqual(pwned, undefined);
      assert.equal(await p.page.evaluate(() => document.title), 'PWNED');
      assert.ok(p.requests.length > 0, 'a trusted page may reach out (the test blocks it)');
    } finally {
      await p.close();
    }
  });

  test('long stream: a scroll box opened at its end; print shows it all; progress bar at its final state', async () => {
    const p = await open('long-stream');
    try {
      await assertClean(p, 'long-stream');
      const box = p.page.locator('.rn-long');
      assert.equal(await box.count(), 1);
      const geo = await box.evaluate((el) => {
        const last = Array.from(el.querySelectorAll('pre'))[0]!;
        const range = document.createRange();
        const text = last.firstChild!;
        const end = text.textContent!.length;
        range.setStart(text, end - 5);
        range.setEnd(text, end);
        const r = range.getBoundingClientRect();
        const b = el.getBoundingClientRect();
        return { scrollable: el.scrollHeight > el.clientHeight, lastVisible: r.bottom <= b.bottom + 1 && r.top >= b.top };
      });
      assert.ok(geo.scrollable, 'the box scrolls');
      assert.ok(geo.lastVisible, 'the last line is in view');
      const stderr = await p.page.locator('.rn-stream-stderr').first().innerText();
      assert.match(stderr, /^training: 100%/);
      assert.doesNotMatch(stderr, /\b10%/);
      await screenshot(p.page, 'long-stream');
      await p.page.emulateMedia({ media: 'print' });
      const printed = await box.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
      assert.ok(printed, 'printing shows every line');
    } finally {
      await p.close();
    }
  });

  test('showcase: a failed run with its header, in light and dark', async () => {
    const runHeader: RunHeader = {
      index: 3,
      name: 'lr=0.1, batch=32',
      status: 'failed',
      durationSec: 14.6,
      attempts: 2,
      configText: "{'lr': 0.1, 'batch': 32}",
      configJson: { lr: 0.1, batch: 32 },
      error: { cellIndex: 4, headline: 'ZeroDivisionError: division by zero' },
    };
    const light = await open('showcase', { runHeader, title: 'Learning-rate study' });
    try {
      await assertClean(light, 'Learning-rate study (failed)');
      const link = light.page.locator('.rn-banner a');
      assert.equal(await link.getAttribute('href'), '#cell-4');
      await screenshot(light.page, 'showcase', false);
      await link.click();
      const inView = await light.page.evaluate(() => {
        const r = document.getElementById('cell-4')!.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight;
      });
      assert.ok(inView, 'the banner link scrolls to the failing cell');
      assert.equal(await light.page.locator('details.rn-config').getAttribute('open'), null, 'the config starts collapsed');
      await light.page.locator('details.rn-config > summary').click();
      assert.match(await light.page.locator('details.rn-config').innerText(), /batch\s+32/);
    } finally {
      await light.close();
    }
    const dark = await open('showcase', { runHeader, title: 'Learning-rate study' }, 'showcase-dark', 'dark');
    try {
      await assertClean(dark, 'Learning-rate study (failed)');
      const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(15, 19, 24)', 'the dark palette follows prefers-color-scheme');
      await screenshot(dark.page, 'showcase-dark');
    } finally {
      await dark.close();
    }
  });

  test('no_input: code and prompts hidden, outputs kept', async () => {
    const p = await open('showcase', { noInput: true }, 'showcase-no-input');
    try {
      await assertClean(p, 'showcase');
      assert.equal(await p.page.locator('.rn-source').count(), 0);
      assert.equal(await p.page.locator('.rn-prompt:visible').count(), 0);
      assert.equal(await p.page.locator('table.dataframe').count(), 1);
    } finally {
      await p.close();
    }
  });
});

// The sweep's index.html in headless Chromium at 1280 and 1920 px: no request, no console
// error, charts drawn, every metric column reachable, the filter narrowing rows and charts,
// grouping, best values, compare with an output diff, keyboard use, live reload, no-JS fallback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderSweepIndexHtml } from '../../src/html/index.js';
import { launch, openHtml, screenshot } from './browser.js';
import { sweepIndexData } from './indexData.js';

const data = sweepIndexData();
const METRICS = ['accuracy', 'loss', 'f1', 'val_loss', 'throughput'];

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const bodyRows = (page: Page) => page.locator('#rn-table tbody tr').count();
const chartMarks = (page: Page) => page.evaluate(() => Array.from(document.querySelectorAll('.rn-chart'), (c) => c.querySelectorAll('svg path').length));
/** Scatter points of the first chart (ECharts draws each symbol as one path with a transform). */
const pointsInFirstChart = (page: Page) => page.evaluate(() => document.querySelector('.rn-chart')!.querySelectorAll('svg path[transform]').length);

describe('sweep index in Chromium', () => {
  for (const width of [1280, 1920]) {
    test(`at ${width} px: no request, no error, charts drawn, every metric reachable, the filter narrows rows`, async () => {
      const p = await openHtml(browser, `sweep-index-${width}`, renderSweepIndexHtml(data), { viewport: { width, height: 1000 } });
      try {
        await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
        assert.deepEqual(p.errors, [], 'no console error');
        assert.deepEqual(p.requests, [], 'no request');
        assert.equal(await bodyRows(p.page), data.rows.length);
        const marks = await chartMarks(p.page);
        assert.equal(marks.length, METRICS.length + 1, 'one chart per metric, and parallel coordinates');
        for (const m of marks) assert.ok(m > 10, `every chart has drawn marks: ${marks}`);
        // Results come before parameters, and each metric header can be brought into view.
        const headers = await p.page.locator('#rn-table thead tr:last-child th').allInnerTexts();
        assert.ok(headers.indexOf('accuracy') < headers.indexOf('lr'), `metrics first: ${headers}`);
        assert.ok(!headers.includes('epochs'), 'a parameter with one value is no column');
        for (const m of METRICS) {
          const th = p.page.locator('#rn-table thead th', { hasText: new RegExp(`^${m}`) }).first();
          await th.scrollIntoViewIfNeeded();
          assert.ok(await th.isVisible(), `${m} reachable`);
          const box = (await th.boundingBox())!;
          assert.ok(box.x >= 0 && box.x + box.width <= width, `${m} inside the window at ${width}px: ${JSON.stringify(box)}`);
        }
        await p.page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(p.page, width === 1280 ? 'sweep-index' : 'sweep-index-1920', false);
        // The index column stays put when the table scrolls sideways.
        const wrap = p.page.locator('.rn-live-table');
        const before = (await p.page.locator('#rn-table tbody tr:first-child td:first-child').boundingBox())!.x;
        await wrap.evaluate((el) => (el.scrollLeft = el.scrollWidth));
        assert.equal((await p.page.locator('#rn-table tbody tr:first-child td:first-child').boundingBox())!.x, before);
        const allPoints = await pointsInFirstChart(p.page);
        await p.page.fill('#rn-filter', 'model=cnn lr<0.1');
        await p.page.waitForFunction(() => /^\d+ of/.test(document.getElementById('rn-count')!.textContent!) && document.getElementById('rn-count')!.textContent!.startsWith('6 of'));
        assert.equal(await bodyRows(p.page), 6);
        assert.ok((await pointsInFirstChart(p.page)) < allPoints, 'the charts are narrowed too');
        await p.page.fill('#rn-filter', 'diverged');
        await p.page.waitForFunction(() => document.getElementById('rn-count')!.textContent!.startsWith('2 of'));
        assert.deepEqual(await p.page.locator('#rn-table tbody .rn-status').allInnerTexts(), ['failed', 'failed']);
        assert.deepEqual(p.errors, []);
      } finally {
        await p.close();
      }
    });
  }

  test('status and tag chips filter; failed and not-run runs are visible', async () => {
    const p = await openHtml(browser, 'sweep-index-chips', renderSweepIndexHtml(data));
    try {
      const statuses = await p.page.locator('#rn-table tbody .rn-status').allInnerTexts();
      assert.ok(statuses.includes('failed') && statuses.includes('not run'));
      await p.page.click('button[data-term="status=not_run"]');
      assert.equal(await p.page.inputValue('#rn-filter'), 'status=not_run');
      assert.equal(await bodyRows(p.page), data.rows.filter((r) => r.status === 'not_run').length);
      await p.page.click('button[data-term="status=not_run"]');
      await p.page.click('button[data-term="tags=\\"long run\\""]');
      assert.equal(await bodyRows(p.page), data.rows.filter((r) => r.tags!.includes('long run')).length);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('grouping over seed shows mean ± std and n; the best value of each metric is highlighted', async () => {
    const p = await openHtml(browser, 'sweep-index-group', renderSweepIndexHtml(data));
    try {
      await p.page.selectOption('#rn-group', 'seed');
      assert.equal(await bodyRows(p.page), 8, '4 lr × 2 models');
      const first = await p.page.locator('#rn-table tbody tr:first-child').innerText();
      assert.match(first, /\d\.\d+ ± \d\.\d+/);
      const headers = await p.page.locator('#rn-table thead tr:last-child th').allInnerTexts();
      assert.ok(headers.includes('n') && !headers.includes('seed'));
      // accuracy: the highest mean is highlighted; loss: the lowest.
      const best = await p.page.evaluate(() => {
        const ths = Array.from(document.querySelectorAll('#rn-table thead tr:last-child th'), (t) => t.textContent!.trim());
        const col = (name: string) => ths.indexOf(name);
        const means = (name: string) => Array.from(document.querySelectorAll('#rn-table tbody tr'), (tr) => ({ v: parseFloat((tr as HTMLTableRowElement).cells[col(name)]!.textContent!), best: (tr as HTMLTableRowElement).cells[col(name)]!.classList.contains('rn-best') }));
        return { acc: means('accuracy'), loss: means('loss') };
      });
      const accBest = best.acc.filter((x) => x.best);
      assert.equal(accBest.length, 1);
      assert.equal(accBest[0]!.v, Math.max(...best.acc.map((x) => x.v).filter(Number.isFinite)));
      assert.equal(best.loss.filter((x) => x.best)[0]!.v, Math.min(...best.loss.map((x) => x.v).filter(Number.isFinite)));
      const marks = await chartMarks(p.page);
      for (const m of marks) assert.ok(m > 10, `grouped charts drawn: ${marks}`);
      await screenshot(p.page, 'sweep-index-grouped', false);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('two runs compared: parameters and results side by side, and a cell-by-cell output diff', async () => {
    const p = await openHtml(browser, 'sweep-index-compare', renderSweepIndexHtml(data));
    try {
      await p.page.check('input[data-pick="0"]');
      assert.match(await p.page.innerText('#rn-compare-hint'), /one more/);
      await p.page.check('input[data-pick="5"]');
      const panel = p.page.locator('#rn-compare');
      assert.ok(await panel.isVisible());
      assert.equal(await panel.locator('a[href="result_0/train.html"]').count(), 1);
      assert.equal(await panel.locator('a[href="result_5/train.html"]').count(), 1);
      const text = await panel.innerText();
      assert.match(text, /status\s+success\s+failed/);
      assert.match(text, /cell 2\s+print\(config\)\s+outputs differ/);
      assert.ok((await panel.locator('.rn-del', { hasText: 'seed 1' }).count()) === 1 && (await panel.locator('.rn-add', { hasText: 'seed 3' }).count()) === 1, text);
      assert.match(text, /\+RuntimeError: diverged/);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(p.page, 'sweep-index-compare', false);
      await p.page.click('#rn-compare-clear');
      assert.ok(await panel.isHidden());
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('keyboard: / focuses the filter, Escape clears it, a header sorts with Enter', async () => {
    const p = await openHtml(browser, 'sweep-index-keys', renderSweepIndexHtml(data));
    try {
      await p.page.keyboard.press('/');
      assert.equal(await p.page.evaluate(() => document.activeElement?.id), 'rn-filter');
      await p.page.keyboard.type('seed=2');
      await p.page.waitForFunction(() => document.getElementById('rn-count')!.textContent!.startsWith('8 of'));
      await p.page.keyboard.press('Escape');
      await p.page.waitForFunction((n) => document.getElementById('rn-count')!.textContent!.startsWith(`${n} of`), data.rows.length);
      await p.page.focus('button[data-sort="accuracy"]');
      await p.page.keyboard.press('Enter');
      await p.page.keyboard.press('Enter');
      assert.equal(await p.page.getAttribute('#rn-table th:has(button[data-sort="accuracy"])', 'aria-sort'), 'descending');
      const accs = await p.page.evaluate(() => {
        const ths = Array.from(document.querySelectorAll('#rn-table thead tr:last-child th'), (t) => t.textContent!.trim());
        const col = ths.indexOf('accuracy');
        return Array.from(document.querySelectorAll('#rn-table tbody tr'), (tr) => parseFloat((tr as HTMLTableRowElement).cells[col]!.textContent!));
      });
      const nums = accs.filter(Number.isFinite);
      assert.deepEqual(nums, [...nums].sort((a, b) => b - a));
      assert.ok(accs.slice(nums.length).every((x) => !Number.isFinite(x)), 'missing values last');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('dark theme and print keep the page readable', async () => {
    const p = await openHtml(browser, 'sweep-index-dark', renderSweepIndexHtml(data), { colorScheme: 'dark', viewport: { width: 1280, height: 1000 } });
    try {
      const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.notEqual(bg, 'rgb(255, 255, 255)');
      await screenshot(p.page, 'sweep-index-dark', false);
      await p.page.emulateMedia({ media: 'print' });
      assert.ok(await p.page.locator('.rn-controls').isHidden());
      assert.equal(await bodyRows(p.page), data.rows.length);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('while the sweep runs the page reloads itself, keeping the filter', async () => {
    const p = await openHtml(browser, 'sweep-index-live', renderSweepIndexHtml({ ...data, live: true, reloadSec: 2, endedAt: undefined }));
    try {
      assert.match(await p.page.innerText('.rn-live'), /reloads every 2 s/);
      await p.page.waitForEvent('load', { timeout: 8000 });
      await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
      await p.page.fill('#rn-filter', 'model=mlp');
      await p.page.waitForFunction(() => location.hash.includes('mlp'));
      await p.page.waitForEvent('load', { timeout: 8000 });
      await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
      assert.equal(await p.page.inputValue('#rn-filter'), 'model=mlp');
      assert.equal(await bodyRows(p.page), data.rows.length / 2);
      assert.deepEqual(p.errors, []);
      const done = await openHtml(browser, 'sweep-index-done', renderSweepIndexHtml(data));
      assert.equal(await done.page.locator('.rn-live').count(), 0);
      await done.close();
    } finally {
      await p.close();
    }
  });

  test('with JavaScript off it is a plain, complete table', async () => {
    const p = await openHtml(browser, 'sweep-index-nojs', renderSweepIndexHtml(data), { javaScriptEnabled: false });
    try {
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.requests, []);
      assert.equal(await p.page.locator('table.rn-plain tbody tr').count(), data.rows.length);
      assert.match(await p.page.locator('table.rn-plain').innerText(), /RuntimeError: diverged/);
      assert.equal(await p.page.locator('a[href="result_1/train.html"]').count(), 1);
    } finally {
      await p.close();
    }
  });
});

// The sweep's index.html in headless Chromium: sortable with JavaScript, a plain table without.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderSweepIndexHtml, type SweepIndex } from '../../src/html/index.js';
import { launch, openHtml, screenshot } from './browser.js';

const data: SweepIndex = {
  title: 'demo · learning-rate sweep',
  notebook: 'notebooks/demo.ipynb',
  startedAt: '2026-11-23T10:00:00.000Z',
  endedAt: '2026-11-23T10:03:41.000Z',
  rows: [
    { index: 0, name: 'lr=0.1, batch=32', status: 'success', attempts: 1, durationSec: 31.2, params: { lr: 0.1, batch: 32 }, results: { accuracy: 0.8812, loss: 0.4121 }, htmlHref: 'result_0/demo.html', notebookHref: 'result_0/demo.ipynb' },
    { index: 1, name: 'lr=1, batch=32', status: 'failed', attempts: 2, durationSec: 4.1, params: { lr: 1, batch: 32 }, results: {}, htmlHref: 'result_1/demo.html', notebookHref: 'result_1/demo.ipynb', error: 'ZeroDivisionError: division by zero' },
    { index: 2, name: 'lr=0.01, batch=64', status: 'success', attempts: 1, durationSec: 95.5, params: { lr: 0.01, batch: 64 }, results: { accuracy: 0.9278, loss: 0.2544 }, htmlHref: 'result_2/demo.html', notebookHref: 'result_2/demo.ipynb' },
    { index: 3, name: 'lr=0.003, batch=64', status: 'timeout', attempts: 1, durationSec: 600, params: { lr: 0.003, batch: 64 }, results: { accuracy: 0.61 }, htmlHref: 'result_3/demo.html', notebookHref: 'result_3/demo.ipynb', error: 'timeout after 600 s in cell 7' },
    { index: 10, name: 'lr=0.001, batch=128', status: 'success', attempts: 1, durationSec: 27.5, params: { lr: 0.001, batch: 128 }, results: { accuracy: 0.9012, loss: 0.339 }, htmlHref: 'result_10/demo.html', notebookHref: 'result_10/demo.ipynb' },
  ],
};

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function column(page: Page, n: number): Promise<string[]> {
  return page.evaluate((col) => Array.from(document.querySelectorAll('table.rn-table tbody tr'), (tr) => (tr as HTMLTableRowElement).cells[col]!.textContent!.trim()), n);
}

describe('sweep index in Chromium', () => {
  test('sorts by a column when its header is clicked, both ways', async () => {
    const p = await openHtml(browser, 'sweep-index', renderSweepIndexHtml(data));
    try {
      assert.deepEqual(p.errors, [], 'our script is allowed by the CSP and runs cleanly');
      assert.deepEqual(p.requests, []);
      assert.deepEqual(await column(p.page, 0), ['0', '1', '2', '3', '10']);
      await screenshot(p.page, 'sweep-index');
      const duration = p.page.locator('thead tr:last-child th', { hasText: 'Duration' });
      await duration.locator('button').click();
      assert.equal(await duration.getAttribute('aria-sort'), 'ascending');
      assert.deepEqual(await column(p.page, 0), ['1', '10', '0', '2', '3']);
      await duration.locator('button').click();
      assert.equal(await duration.getAttribute('aria-sort'), 'descending');
      assert.deepEqual(await column(p.page, 0), ['3', '2', '0', '10', '1']);
      // Missing values stay last either way; numbers compare as numbers (10 after 3).
      const loss = p.page.locator('thead tr:last-child th', { hasText: 'loss' });
      await loss.locator('button').click();
      assert.deepEqual(await column(p.page, 0), ['2', '10', '0', '3', '1'], 'stable: rows without a loss keep their previous order');
      const index = p.page.locator('thead tr:last-child th', { hasText: '#' });
      await index.locator('button').click();
      assert.deepEqual(await column(p.page, 0), ['0', '1', '2', '3', '10']);
      assert.equal(await p.page.locator('a[href="result_1/demo.html"]').count(), 1);
      assert.equal(await p.page.locator('a[href="result_1/demo.ipynb"]').count(), 1);
    } finally {
      await p.close();
    }
  });

  test('with JavaScript off it is a plain, complete table', async () => {
    const p = await openHtml(browser, 'sweep-index-nojs', renderSweepIndexHtml(data), { javaScriptEnabled: false });
    try {
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.requests, []);
      assert.equal(await p.page.locator('button.rn-sort').count(), 0);
      assert.deepEqual(await column(p.page, 0), ['0', '1', '2', '3', '10']);
      assert.match(await p.page.locator('table.rn-table').innerText(), /ZeroDivisionError: division by zero/);
      const failedColour = await p.page.locator('.rn-status-failed').first().evaluate((el) => getComputedStyle(el).color);
      const okColour = await p.page.locator('.rn-status-success').first().evaluate((el) => getComputedStyle(el).color);
      assert.notEqual(failedColour, okColour, 'statuses have their own colours');
    } finally {
      await p.close();
    }
  });
});

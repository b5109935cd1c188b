// The index page of a sweep spread over several servers, in headless Chromium: a Server
// and a Host column, sortable and filterable like the run's other columns.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderIndex } from '../../src/results/indexPage.js';
import { row } from '../unit/results/helpers.js';
import { launch, openHtml } from './browser.js';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const meta = { title: 'spread', notebook: 'nb.ipynb', startedAt: '2026-12-02T01:00:00.000Z', endedAt: '2026-12-02T01:01:00.000Z' };

describe('index page over several servers', () => {
  test('Server and Host columns show where each run ran, and server=NAME filters', async () => {
    const rows = [0, 1, 2, 3, 4].map((i) => row(i, { i }, { v: i }, { server: i % 2 ? 'gpu-b' : 'gpu-a', host: i % 2 ? '10.0.0.2' : '10.0.0.1' }));
    const p = await openHtml(browser, 'index-servers', renderIndex(rows, meta, { live: false }));
    try {
      await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
      assert.deepEqual(p.errors, []);
      const headers = await p.page.locator('#rn-table thead tr:last-child th').allInnerTexts();
      const at = headers.indexOf('Server');
      assert.ok(at > 0 && headers[at + 1] === 'Host', `headers: ${headers}`);
      const column = async (n: number) => p.page.locator(`#rn-table tbody tr td:nth-child(${n + 1})`).allInnerTexts();
      assert.deepEqual(await column(at), ['gpu-a', 'gpu-b', 'gpu-a', 'gpu-b', 'gpu-a']);
      assert.deepEqual(await column(at + 1), ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.2', '10.0.0.1']);
      await p.page.fill('#rn-filter', 'server=gpu-b');
      await p.page.waitForFunction(() => document.getElementById('rn-count')!.textContent!.startsWith('2 of'));
      assert.deepEqual(await column(at), ['gpu-b', 'gpu-b']);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });

  test('one server: no Server column', async () => {
    const rows = [0, 1].map((i) => row(i, { i }, {}, { server: 'only', host: 'h' }));
    const p = await openHtml(browser, 'index-one-server', renderIndex(rows, meta, { live: false }));
    try {
      await p.page.waitForSelector('html[data-ready="1"]', { state: 'attached' });
      const headers = await p.page.locator('#rn-table thead tr:last-child th').allInnerTexts();
      assert.ok(!headers.includes('Server') && !headers.includes('Host'), `headers: ${headers}`);
    } finally {
      await p.close();
    }
  });
});

// The index page of a 1,000-config sweep with 5 metrics: its size, and the time from
// navigation start to the table and first charts drawn in headless Chromium (best of 3).
// Targets: under 1 s; the file under 2 MB plus the embedded libraries (ECharts, jsdiff).
// Run directly: node --import tsx bench/indexPage.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderSweepIndexHtml } from '../src/html/index.js';
import { vendorScripts } from '../src/html/index/vendor.js';
import { sweepIndexData } from '../test/browser/indexData.js';

export interface IndexBench {
  configs: number;
  metrics: number;
  megabytes: number;
  libraryMegabytes: number;
  /** Best of 3: navigation start → every chart drawn (the table is drawn right after). */
  seconds: number;
  runs: number[];
  /** Best of 3: navigation start → the table drawn too. */
  tableSeconds: number;
  chartsDrawn: number;
}

export async function benchIndexPage(): Promise<IndexBench> {
  const data = sweepIndexData({ lrs: [1, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01, 0.005, 0.003, 0.001], models: ['mlp', 'cnn', 'rnn', 'vit'], seeds: 25, metrics: 5 });
  const html = renderSweepIndexHtml(data);
  const v = vendorScripts();
  const dir = mkdtempSync(join(tmpdir(), 'rn-bench-index-'));
  const file = join(dir, 'index.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const runs: number[] = [];
  const tableRuns: number[] = [];
  let chartsDrawn = 0;
  try {
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-ready="1"]', { state: 'attached', timeout: 60_000 });
      runs.push(Number(await page.getAttribute('html', 'data-charts-ms')) / 1000);
      tableRuns.push(Number(await page.getAttribute('html', 'data-ready-ms')) / 1000);
      chartsDrawn = await page.evaluate(() => Array.from(document.querySelectorAll('.rn-chart')).filter((c) => c.querySelectorAll('svg path').length > 10 || !!c.querySelector('canvas')).length);
      if (errors.length) throw new Error(`index page: ${errors[0]}`);
      await context.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    configs: data.rows.length,
    metrics: 5,
    megabytes: Buffer.byteLength(html) / 1e6,
    libraryMegabytes: (Buffer.byteLength(v.echarts) + Buffer.byteLength(v.diff)) / 1e6,
    seconds: Math.min(...runs),
    runs,
    tableSeconds: Math.min(...tableRuns),
    chartsDrawn,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchIndexPage();
  process.stdout.write(JSON.stringify(r, null, 1) + '\n');
}

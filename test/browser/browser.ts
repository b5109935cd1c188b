// Shared helpers for the browser tests: Debian's headless Chromium through playwright-core,
// pages opened from file://, and a record of everything the page tried to do.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const ARTIFACTS = resolve('test-artifacts');
export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');
export const PAGES = join(ARTIFACTS, 'html');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface OpenedPage {
  page: Page;
  url: string;
  /** console messages of type error, and uncaught page errors */
  errors: string[];
  /** every request that is not the page itself or a data: URL */
  requests: string[];
  close(): Promise<void>;
}

/** Writes `html` under test-artifacts/html/<name>.html and opens it from file://. */
export async function openHtml(browser: Browser, name: string, html: string, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  mkdirSync(PAGES, { recursive: true });
  const file = join(PAGES, `${name}.html`);
  writeFileSync(file, html);
  return openFile(browser, file, options);
}

/** Opens an HTML file where it lies (a sweep's index.html beside its result folders). */
export async function openFile(browser: Browser, file: string, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light', ...options });
  // tsx compiles the functions handed to page.evaluate with a name helper the page lacks.
  await context.addInitScript('window.__name = (f) => f');
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith('data:')) requests.push(u);
  });
  // Nothing may leave this machine, even when a test expects a (trusted) page to try.
  await context.route(/^(?!file:|data:)/, (route) => route.abort());
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  return { page, url, errors, requests, close: () => context.close() };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

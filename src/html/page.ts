// The page shell shared by notebook pages and the sweep index.

import { createHash } from 'node:crypto';
import { BASE_CSS } from './styles.js';
import { escapeHtml } from './text.js';

export interface PageParts {
  title: string;
  body: string;
  /** Extra CSS after the base sheet (KaTeX, …). */
  extraCss?: string;
  /** Our own inline script (sweep index only); allowed by its hash in the CSP. */
  script?: string;
  /** Without a CSP (trusted pages: their scripts and remote resources must work). */
  noCsp?: boolean;
  bodyClass?: string;
}

/**
 * The Content-Security-Policy of an untrusted page: nothing is fetched, no script runs
 * (except our own, by hash), styles and images only inline. A belt to the sanitizer's braces.
 */
function csp(script?: string): string {
  const scriptSrc = script ? `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'` : "'none'";
  return [
    "default-src 'none'",
    `script-src ${scriptSrc}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    'media-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderPage(p: PageParts): string {
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    p.noCsp ? '' : `<meta http-equiv="Content-Security-Policy" content="${csp(p.script)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="generator" content="run-notebook">',
    `<title>${escapeHtml(p.title)}</title>`,
    `<style>${BASE_CSS}</style>`,
    p.extraCss ? `<style>${p.extraCss}</style>` : '',
    '</head>',
  ]
    .filter(Boolean)
    .join('\n');
  const script = p.script ? `\n<script>${p.script}</script>` : '';
  return `${head}\n<body${p.bodyClass ? ` class="${p.bodyClass}"` : ''}>\n<main class="rn-page">\n${p.body}\n</main>${script}\n</body>\n</html>\n`;
}

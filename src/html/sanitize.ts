// The allow-list sanitizer for untrusted HTML (text/html outputs and markdown).
//
// In the spirit of JupyterLab's: ordinary document tags, no scripts, no event handlers,
// no forms, no frames, inline styles limited to a list of properties whose values cannot
// fetch anything. Beyond JupyterLab, because this page must never touch the network:
// images must be data URIs (the caller embeds local ones first), inline <svg> becomes an
// <img> data URI, and <style> blocks survive only inside an `@scope` of their own output.

import sanitizeHtmlLib from 'sanitize-html';
import { svgDataUri } from './images.js';
import { escapeAttr, escapeHtml } from './text.js';

const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'data', 'dd', 'del', 'details', 'dfn',
  'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'label', 'li', 'main', 'mark',
  'meter', 'nav', 'nobr', 'ol', 'p', 'picture', 'pre', 'progress', 'q', 'rp', 'rt', 'ruby', 's',
  'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

const CELL_ATTRS = ['abbr', 'align', 'axis', 'bgcolor', 'colspan', 'headers', 'height', 'nowrap', 'rowspan', 'scope', 'valign', 'width'];

const ALLOWED_ATTRIBUTES: sanitizeHtmlLib.IOptions['allowedAttributes'] = {
  '*': ['class', 'id', 'title', 'lang', 'dir', 'style', 'hidden', 'role', 'aria-*', 'data-*', 'translate'],
  a: ['href', 'name', 'target', 'rel', 'hreflang'],
  img: ['src', 'alt', 'width', 'height', 'align', 'border', 'hspace', 'vspace', 'loading'],
  input: ['type', 'checked', 'disabled'],
  td: CELL_ATTRS,
  th: CELL_ATTRS,
  tr: ['align', 'bgcolor', 'valign'],
  tbody: ['align', 'valign'],
  thead: ['align', 'valign'],
  tfoot: ['align', 'valign'],
  table: ['align', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'frame', 'rules', 'summary', 'width'],
  col: ['align', 'span', 'valign', 'width'],
  colgroup: ['align', 'span', 'valign', 'width'],
  caption: ['align'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value', 'type'],
  details: ['open'],
  font: ['color', 'face', 'size'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  data: ['value'],
  meter: ['value', 'min', 'max', 'low', 'high', 'optimum'],
  progress: ['value', 'max'],
  hr: ['align', 'size', 'width', 'noshade'],
  div: ['align'],
  p: ['align'],
  h1: ['align'], h2: ['align'], h3: ['align'], h4: ['align'], h5: ['align'], h6: ['align'],
  pre: ['width'],
  bdo: ['dir'],
};

// Inline style properties that may appear in a `style` attribute. Values are checked by
// SAFE_VALUE below: nothing that can load a resource or run an expression.
const STYLE_PROPS = [
  'background-color', 'border', 'border-bottom', 'border-bottom-color', 'border-bottom-style',
  'border-bottom-width', 'border-collapse', 'border-color', 'border-left', 'border-left-color',
  'border-left-style', 'border-left-width', 'border-radius', 'border-right', 'border-right-color',
  'border-right-style', 'border-right-width', 'border-spacing', 'border-style', 'border-top',
  'border-top-color', 'border-top-style', 'border-top-width', 'border-width', 'bottom', 'box-shadow',
  'box-sizing', 'caption-side', 'clear', 'color', 'column-count', 'column-gap', 'direction', 'display',
  'empty-cells', 'flex', 'flex-direction', 'flex-wrap', 'float', 'font', 'font-family', 'font-size',
  'font-stretch', 'font-style', 'font-variant', 'font-weight', 'gap', 'grid-template-columns', 'height',
  'justify-content', 'align-items', 'left', 'letter-spacing', 'line-height', 'list-style',
  'list-style-position', 'list-style-type', 'margin', 'margin-bottom', 'margin-left', 'margin-right',
  'margin-top', 'max-height', 'max-width', 'min-height', 'min-width', 'opacity', 'outline',
  'outline-color', 'outline-style', 'outline-width', 'overflow', 'overflow-wrap', 'overflow-x',
  'overflow-y', 'padding', 'padding-bottom', 'padding-left', 'padding-right', 'padding-top', 'right',
  'table-layout', 'text-align', 'text-decoration', 'text-indent', 'text-overflow', 'text-shadow',
  'text-transform', 'top', 'unicode-bidi', 'vertical-align', 'visibility', 'white-space', 'width',
  'word-break', 'word-spacing', 'word-wrap', 'z-index', 'background', 'font-feature-settings',
  'tab-size', 'transform',
];
const SAFE_VALUE = /^(?!.*(?:url\s*\(|image-set|image\s*\(|expression|javascript:|\\|@import|element\s*\()).*$/is;

const ALLOWED_STYLES: sanitizeHtmlLib.IOptions['allowedStyles'] = {
  '*': {
    ...Object.fromEntries(STYLE_PROPS.map((p) => [p, [SAFE_VALUE]])),
    // Not fixed or sticky: an output must not float over the rest of the page.
    position: [/^(static|relative|absolute)$/i],
  },
};

function inlineSvgToImg(html: string): string {
  if (!/<svg[\s>]/i.test(html)) return html;
  let out = '';
  let i = 0;
  const open = /<svg[\s>]/gi;
  while (true) {
    open.lastIndex = i;
    const m = open.exec(html);
    if (!m) break;
    // find the matching </svg>, counting nested <svg>
    let depth = 0;
    const tag = /<(\/?)svg[\s>]/gi;
    tag.lastIndex = m.index;
    let end = -1;
    let t: RegExpExecArray | null;
    while ((t = tag.exec(html))) {
      if (t[1]) {
        depth--;
        if (depth === 0) {
          const close = html.indexOf('>', t.index);
          end = close < 0 ? html.length : close + 1;
          break;
        }
      } else depth++;
    }
    if (end < 0) break;
    let svg = html.slice(m.index, end);
    if (!/\sxmlns\s*=/.test(svg.slice(0, svg.indexOf('>') + 1))) {
      svg = svg.replace(/^<svg/i, '<svg xmlns="http://www.w3.org/2000/svg"');
    }
    out += html.slice(i, m.index) + `<img class="rn-inline-svg" alt="SVG image" src="${svgDataUri(svg)}">`;
    i = end;
  }
  return out + html.slice(i);
}

/** Makes CSS from an untrusted <style> block harmless: nothing fetched, scoped to its output. */
function cleanCss(css: string, scope: string): string {
  const cleaned = css
    .replace(/<\/?style[^>]*>/gi, '')
    .replace(/@import[^;]*;?/gi, '')
    .replace(/@(font-face|namespace|charset)[^{;]*(\{[^}]*\}|;)/gi, '')
    .replace(/url\s*\((?!\s*["']?data:)[^)]*\)/gi, 'none')
    .replace(/expression\s*\(/gi, 'x(')
    .replace(/position\s*:\s*(fixed|sticky)/gi, 'position:static');
  return `@scope (${scope}) {\n${cleaned}\n}`;
}

export interface SanitizeOptions {
  /** CSS selector of the element the output lands in; <style> blocks are scoped to it. */
  scope?: string;
}

function keepImg(src: string): boolean {
  return /^data:image\/[a-z0-9.+-]+[;,]/i.test(src.trim());
}

/**
 * Sanitizes untrusted HTML. Scripts, event handlers, frames, forms and remote resources
 * are removed; a removed image leaves a short note with its address.
 */
export function sanitizeHtml(html: string, opts: SanitizeOptions = {}): string {
  html = inlineSvgToImg(html);
  // <style> blocks are cut out, cleaned, and put back after sanitizing.
  const styles: string[] = [];
  const nonce = Math.random().toString(36).slice(2, 10);
  if (/<style[\s>]/i.test(html)) {
    html = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_m, css: string) => {
      if (!opts.scope) return '';
      styles.push(cleanCss(css, opts.scope));
      return `\uE000${nonce}:${styles.length - 1}\uE001`;
    });
  }
  let out = sanitizeHtmlLib(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedStyles: ALLOWED_STYLES,
    allowedSchemes: ['http', 'https', 'mailto', 'ftp', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // An image we could not embed becomes a visible note; the page makes no requests.
    transformTags: {
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (keepImg(src)) return { tagName, attribs };
        const alt = attribs.alt ? `${attribs.alt}: ` : '';
        return {
          tagName: 'span',
          attribs: { class: 'rn-missing-img', title: src },
          text: `[image not embedded: ${alt}${src || 'no source'}]`,
        };
      },
      a: (tagName, attribs) => {
        const a = { ...attribs };
        if (a.target) a.rel = 'noopener noreferrer';
        return { tagName, attribs: a };
      },
      input: (tagName, attribs) => ({
        tagName,
        attribs: { type: attribs.type === 'checkbox' ? 'checkbox' : 'text', ...(attribs.checked !== undefined ? { checked: '' } : {}), disabled: '' },
      }),
    },
  });
  if (styles.length) {
    out = out.replace(new RegExp(`\uE000${nonce}:(\\d+)\uE001`, 'g'), (_m, k: string) => `<style>${styles[Number(k)]}</style>`);
  }
  return out;
}

/** True when the HTML held a script or an inline event handler (to tell the reader what was dropped). */
export function hasActiveContent(html: string): boolean {
  return /<script[\s>]|\son[a-z]+\s*=|javascript:/i.test(html);
}

export { escapeAttr, escapeHtml };

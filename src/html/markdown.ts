// Markdown cells (and text/markdown outputs): marked with GFM, math protected from the
// parser, heading anchors, highlighted code fences, embedded images, then the sanitizer.

import { Marked, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import { highlightCode, resolveLanguage } from './highlight.js';
import { embedImagesInHtml, type ImageContext } from './images.js';
import { renderTex, type MathContext } from './math.js';
import { sanitizeHtml } from './sanitize.js';
import { escapeAttr, escapeHtml } from './text.js';

interface MathSlot {
  tex: string;
  display: boolean;
}

export interface MarkdownRenderer {
  /**
   * Markdown -> HTML. `scope` is the CSS selector of the element the result goes into
   * (for scoping `<style>` blocks); `images` resolves attachments and relative images.
   */
  render(source: string, opts: { trust: boolean; scope: string; images: ImageContext }): string;
}

const BLOCK_MATH = [
  /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/,
  /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/,
];
const BLOCK_ENV = /^ {0,3}(\\begin\{([a-zA-Z*]+)\}[\s\S]+?\\end\{\2\})[ \t]*(?:\n+|$)/;
const INLINE_DISPLAY = [/^\$\$([\s\S]+?)\$\$/, /^\\\[([\s\S]+?)\\\]/];
const INLINE_PAREN = /^\\\(([\s\S]+?)\\\)/;
// `$…$`: any pair, as in Jupyter; `\$` inside is kept for TeX.
const INLINE_DOLLAR = /^\$((?:\\[\s\S]|[^\\$])+?)\$/;

/**
 * One renderer per notebook: heading ids stay unique across cells, and math placeholders
 * are resolved per call.
 */
export function createMarkdownRenderer(math: MathContext): MarkdownRenderer {
  const nonce = Math.random().toString(36).slice(2, 10);
  let slots: MathSlot[] = [];
  const usedIds = new Map<string, number>();
  const placeholder = (tex: string, display: boolean): string => {
    slots.push({ tex, display });
    return `\uE000${nonce}:${slots.length - 1}\uE001`;
  };
  const placeholderRe = new RegExp(`\uE000${nonce}:(\\d+)\uE001`, 'g');

  const mathExtensions: TokenizerAndRendererExtension[] = [
    {
      name: 'mathBlock',
      level: 'block',
      start(src: string) {
        const m = /\$\$|\\\[|\\begin\{/.exec(src);
        return m?.index;
      },
      tokenizer(src: string) {
        for (const re of BLOCK_MATH) {
          const m = re.exec(src);
          if (m) return { type: 'mathBlock', raw: m[0], text: m[1]!, display: true };
        }
        const env = BLOCK_ENV.exec(src);
        if (env) return { type: 'mathBlock', raw: env[0], text: env[1]!, display: true };
        return undefined;
      },
      renderer(token) {
        return `<div class="rn-math-display">${placeholder(token.text as string, true)}</div>\n`;
      },
    },
    {
      name: 'mathInline',
      level: 'inline',
      start(src: string) {
        const m = /\$|\\\(|\\\[/.exec(src);
        return m?.index;
      },
      tokenizer(src: string) {
        for (const re of INLINE_DISPLAY) {
          const m = re.exec(src);
          if (m) return { type: 'mathInline', raw: m[0], text: m[1]!, display: true };
        }
        const p = INLINE_PAREN.exec(src);
        if (p) return { type: 'mathInline', raw: p[0], text: p[1]!, display: false };
        const d = INLINE_DOLLAR.exec(src);
        if (d && d[1]!.trim()) return { type: 'mathInline', raw: d[0], text: d[1]!, display: false };
        return undefined;
      },
      renderer(token) {
        return placeholder(token.text as string, Boolean(token.display));
      },
    },
  ];

  const plainText = (html: string): string =>
    html
      .replace(placeholderRe, (_m, k: string) => slots[Number(k)]?.tex ?? '')
      .replace(/<[^>]*>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .trim();

  const marked = new Marked({
    gfm: true,
    breaks: false,
    async: false,
    extensions: mathExtensions,
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        // Jupyter's convention: the heading text with spaces turned into '-', so links
        // written for JupyterLab (`#My-Section`) keep working.
        const base = plainText(inner).replace(/\s+/g, '-') || 'section';
        const n = usedIds.get(base) ?? 0;
        usedIds.set(base, n + 1);
        const id = n === 0 ? base : `${base}-${n}`;
        return `<h${depth} id="${escapeAttr(id)}">${inner}<a class="rn-anchor" href="#${escapeAttr(encodeURIComponent(id))}" aria-label="Link to this section">¶</a></h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const name = resolveLanguage(lang);
        const cls = name ? ` class="hljs language-${escapeAttr(name)}"` : ' class="hljs"';
        return `<pre class="rn-md-code"><code${cls}>${highlightCode(text.replace(/\n$/, ''), name)}</code></pre>\n`;
      },
    },
  });

  return {
    render(source, { trust, scope, images }) {
      slots = [];
      let html = marked.parse(source) as string;
      html = embedImagesInHtml(html, images);
      if (!trust) html = sanitizeHtml(html, { scope });
      if (slots.length) {
        const current = slots;
        html = html.replace(placeholderRe, (_m, k: string) => {
          const slot = current[Number(k)];
          return slot ? renderTex(slot.tex, slot.display, math) : '';
        });
      }
      return html;
    },
  };
}

export { escapeHtml };

// Syntax highlighting with highlight.js, by the notebook's language.

import hljs from 'highlight.js';
import { escapeHtml } from './text.js';

const ALIASES: Record<string, string> = {
  ipython: 'python',
  ipython2: 'python',
  ipython3: 'python',
  py: 'python',
  python3: 'python',
  r: 'r',
  ir: 'r',
  'c++': 'cpp',
  'c++11': 'cpp',
  'c++14': 'cpp',
  'c++17': 'cpp',
  'c++20': 'cpp',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  ts: 'typescript',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  octave: 'matlab',
  'q#': 'plaintext',
  sas: 'sas',
  sparql: 'sparql',
  ocaml: 'ocaml',
  fsharp: 'fsharp',
  'f#': 'fsharp',
  csharp: 'csharp',
  'c#': 'csharp',
};

/** The highlight.js language name for a notebook or fence language, or undefined. */
export function resolveLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const l = lang.trim().toLowerCase().split(/\s+/)[0]!;
  const name = ALIASES[l] ?? l;
  return hljs.getLanguage(name) ? name : undefined;
}

/** Code -> highlighted HTML (escaped plain text when the language is unknown or the code is huge). */
export function highlightCode(code: string, lang: string | undefined): string {
  const name = resolveLanguage(lang);
  // Very long cells (generated code, data literals) are shown plain: highlighting them
  // costs seconds and helps nobody.
  if (!name || name === 'plaintext' || code.length > 200_000) return escapeHtml(code);
  try {
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return escapeHtml(code);
  }
}

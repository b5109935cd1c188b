// Writing JSON values as source-code literals of a kernel language, for papermill-style
// parameter cells. One translator per language: python, R, julia.

import { ParameterInjectionError } from './errors.js';
import { isLosslessNumber, type ExactJSON, type LosslessNumber } from './exactJson.js';
import { pythonFloatRepr } from './pyjson.js';

type JSONValue = ExactJSON;

export interface Translator {
  /** Canonical language name. */
  readonly language: string;
  /** A one-line comment. */
  comment(text: string): string;
  /** Whether `name` can be assigned to as a plain variable. */
  isValidName(name: string): boolean;
  /** The literal for a value. */
  literal(value: JSONValue): string;
  /** One assignment statement. */
  assign(name: string, value: JSONValue): string;
}

// Characters that must not appear raw inside a string literal: C0/C1 controls, DEL, the
// Unicode line/paragraph separators (IPython splits cells on them), BOM, lone surrogates.
function needsEscape(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff);
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

function quoteWith(s: string, quote: string, extra: Record<string, string>, escapeCp: (cp: number) => string): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch in extra) out += extra[ch];
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (needsEscape(cp)) out += escapeCp(cp);
    else out += ch;
  }
  return out + quote;
}

function number(value: number, nan: string, inf: string): string {
  if (Number.isNaN(value)) return nan;
  if (value === Infinity) return inf;
  if (value === -Infinity) return `-${inf}`;
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  return pythonFloatRepr(value);
}

function entries(value: object): Array<[string, JSONValue]> {
  return Object.entries(value as { [key: string]: JSONValue });
}

/** The exact text of a number JS cannot hold (`1.0`, a big int): valid in Python, R and Julia alike. */
function exactText(value: JSONValue): string | undefined {
  return isLosslessNumber(value) ? (value as LosslessNumber).value : undefined;
}

// ---------------------------------------------------------------------------------------

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

function pythonString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  return quoteWith(s, quote, {}, (cp) => (cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`));
}

const python: Translator = {
  language: 'python',
  comment: (text) => `# ${text}`,
  isValidName: (name) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) && !PYTHON_KEYWORDS.has(name),
  literal(value: JSONValue): string {
    if (value === null) return 'None';
    const exact = exactText(value);
    if (exact !== undefined) return exact;
    if (typeof value === 'boolean') return value ? 'True' : 'False';
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return "float('nan')";
      if (value === Infinity) return "float('inf')";
      if (value === -Infinity) return "-float('inf')";
      return number(value, '', '');
    }
    if (typeof value === 'string') return pythonString(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.literal(v)).join(', ')}]`;
    return `{${entries(value)
      .map(([k, v]) => `${pythonString(k)}: ${this.literal(v)}`)
      .join(', ')}}`;
  },
  assign(name, value) {
    return `${name} = ${this.literal(value)}`;
  },
};

// ---------------------------------------------------------------------------------------

const R_RESERVED = new Set(
  'if else repeat while function for next break TRUE FALSE NULL Inf NaN NA NA_integer_ NA_real_ NA_character_ NA_complex_ in'.split(' '),
);

function rString(s: string): string {
  return quoteWith(s, '"', {}, (cp) => (cp <= 0x7f ? `\\x${hex(cp, 2)}` : `\\u{${hex(cp, 4)}}`));
}

const r: Translator = {
  language: 'R',
  comment: (text) => `# ${text}`,
  isValidName: (name) => /^(?:[\p{L}]|\.(?![0-9]))[\p{L}\p{Nd}._]*$/u.test(name) && !R_RESERVED.has(name),
  literal(value: JSONValue): string {
    if (value === null) return 'NULL';
    const exact = exactText(value);
    if (exact !== undefined) return exact;
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') return number(value, 'NaN', 'Inf');
    if (typeof value === 'string') return rString(value);
    if (Array.isArray(value)) return `list(${value.map((v) => this.literal(v)).join(', ')})`;
    return `list(${entries(value)
      .map(([k, v]) => `${rString(k)} = ${this.literal(v)}`)
      .join(', ')})`;
  },
  assign(name, value) {
    return `${name} <- ${this.literal(value)}`;
  },
};

// ---------------------------------------------------------------------------------------

const JULIA_KEYWORDS = new Set(
  'baremodule begin break catch const continue do else elseif end export false finally for function global if import let local macro module quote return struct true try using while abstract mutable primitive type outer'.split(
    ' ',
  ),
);

function juliaString(s: string): string {
  return quoteWith(s, '"', { $: '\\$' }, (cp) => (cp <= 0x7f ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`));
}

const julia: Translator = {
  language: 'julia',
  comment: (text) => `# ${text}`,
  isValidName: (name) => /^[\p{L}_][\p{L}\p{Nd}_!]*$/u.test(name) && !JULIA_KEYWORDS.has(name),
  literal(value: JSONValue): string {
    if (value === null) return 'nothing';
    const exact = exactText(value);
    if (exact !== undefined) return exact;
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') return number(value, 'NaN', 'Inf');
    if (typeof value === 'string') return juliaString(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.literal(v)).join(', ')}]`;
    const items = entries(value).map(([k, v]) => `${juliaString(k)} => ${this.literal(v)}`);
    return `Dict(${items.join(', ')})`;
  },
  assign(name, value) {
    return `${name} = ${this.literal(value)}`;
  },
};

// ---------------------------------------------------------------------------------------

export const SUPPORTED_LANGUAGES = ['python', 'R', 'julia'] as const;

/** The translator for a kernel language name (e.g. kernelspec.language: "python", "R", "julia"). */
export function translatorFor(language: string): Translator {
  const l = language.trim().toLowerCase();
  if (l.startsWith('python') || l === 'ipython') return python;
  if (l === 'r') return r;
  if (l.startsWith('julia')) return julia;
  throw new ParameterInjectionError(
    `cannot inject parameters into a notebook in ${JSON.stringify(language)}: supported kernel languages are ${SUPPORTED_LANGUAGES.join(', ')}`,
  );
}

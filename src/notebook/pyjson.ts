// JSON the way Python's `json` module reads and writes it, as far as notebooks need:
//
// - parseJson() accepts what `json.loads` accepts (NaN, Infinity, -Infinity included) and
//   reports errors with line and column. It also remembers the two kinds of number whose
//   Python form a JS number loses: floats with an integral value (`1.0`, `-0.0`, `1e16`)
//   and integers beyond 2^53. The memory is a side table keyed by (container, key), so
//   the in-memory values stay plain numbers and a value that is changed later is written
//   in its new, JS-derived form.
// - dumpValue() writes what `json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`
//   writes: keys sorted by code point, Python's float repr, `[]` / `{}` for empties.

import type { JSONValue } from './types.js';

type Container = object;
type Key = string | number;

const numberTexts = new WeakMap<Container, Map<Key, { value: number; text: string }>>();

/** Remember how Python writes container[key] (dumpValue writes that text while the value is unchanged). */
export function rememberNumberText(container: Container, key: Key, value: number, text: string): void {
  let byKey = numberTexts.get(container);
  if (!byKey) {
    byKey = new Map();
    numberTexts.set(container, byKey);
  }
  byKey.set(key, { value, text });
}

/** Python's `repr(float)` (also what `json.dumps` writes for a float). */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-tripping digits,
  // the same digits Python's repr picks.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/**
 * Python's form of a JS number that has no remembered literal: a safe integer is written
 * as an int, anything else as a float. (Integral values beyond 2^53 have lost their
 * integer precision in JS already, so they are most likely floats.)
 */
export function pythonNumber(x: number): string {
  if (Number.isSafeInteger(x)) return String(x === 0 ? 0 : x);
  return pythonFloatRepr(x);
}

/** How Python would write the number stored at container[key]. */
export function numberText(container: Container | null, key: Key | null, value: number): string {
  if (container !== null && key !== null) {
    const remembered = numberTexts.get(container)?.get(key);
    if (remembered && Object.is(remembered.value, value)) return remembered.text;
  }
  return pythonNumber(value);
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
// A string token: quotes around anything but quote, backslash and control characters,
// or escapes. Validation of the escapes themselves is left to JSON.parse.
const STRING_PLAIN = /"[^"\\\u0000-\u001f]*"/y;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): JSONValue {
    this.skipWhitespace();
    const value = this.parseValue(null, null);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(reason: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < at; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    throw new JsonSyntaxError(reason, at, line, at - lineStart + 1);
  }

  private skipWhitespace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(container: Container | null, key: Key | null): JSONValue {
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'N':
        return this.literal('NaN', NaN);
      case 'I':
        return this.literal('Infinity', Infinity);
      case undefined:
        return this.fail('unexpected end of input');
      default:
        if (c === '-' && t.startsWith('-Infinity', this.pos)) return this.literal('-Infinity', -Infinity);
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber(container, key);
        return this.fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }

  private literal<T extends JSONValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  private parseNumber(container: Container | null, key: Key | null): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('invalid number');
    this.pos += m[0].length;
    const value = Number(m[0]);
    if (container !== null && key !== null) {
      const isFloat = m[1] !== undefined || m[2] !== undefined;
      if (isFloat) {
        if (Number.isInteger(value)) rememberNumberText(container, key, value, pythonFloatRepr(value));
      } else if (!Number.isSafeInteger(value)) {
        const digits = BigInt(m[0]).toString();
        rememberNumberText(container, key, value, digits);
      }
    }
    return value;
  }

  private parseString(): string {
    const t = this.text;
    STRING_PLAIN.lastIndex = this.pos;
    const plain = STRING_PLAIN.exec(t);
    if (plain) {
      this.pos += plain[0].length;
      return plain[0].slice(1, -1);
    }
    // Find the closing quote: the first quote preceded by an even number of backslashes.
    let end = this.pos;
    for (;;) {
      end = t.indexOf('"', end + 1);
      if (end === -1) return this.fail('unterminated string');
      let backslashes = 0;
      while (t.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    const token = t.slice(this.pos, end + 1);
    let value: string;
    try {
      value = JSON.parse(token) as string;
    } catch {
      const bad = token.search(/[\u0000-\u001f]/);
      return this.fail(bad >= 0 ? 'control character in string' : 'invalid escape in string', bad >= 0 ? this.pos + bad : this.pos);
    }
    this.pos = end + 1;
    return value;
  }

  private parseArray(): JSONValue[] {
    const arr: JSONValue[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.skipWhitespace();
      arr.push(this.parseValue(arr, arr.length));
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
      } else if (c === ']') {
        this.pos++;
        return arr;
      } else {
        this.fail(c === undefined ? 'unexpected end of input' : "expected ',' or ']'");
      }
    }
  }

  private parseObject(): { [key: string]: JSONValue } {
    const obj: { [key: string]: JSONValue } = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(this.pos >= this.text.length ? 'unexpected end of input' : 'expected a property name in double quotes');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(obj, key);
      if (key === '__proto__') {
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        obj[key] = value;
      }
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
      } else if (c === '}') {
        this.pos++;
        return obj;
      } else {
        this.fail(c === undefined ? 'unexpected end of input' : "expected ',' or '}'");
      }
    }
  }
}

/** Parse JSON as Python's `json.loads` does. Throws {@link JsonSyntaxError}. */
export function parseJson(text: string): JSONValue {
  try {
    return new Parser(text).parse();
  } catch (err) {
    if (err instanceof RangeError) throw new JsonSyntaxError('nested too deeply', 0, 1, 1);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// Writing

/** Compare strings by code point, as Python's sort does (JS's default sort uses UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      const surrogateA = ca >= 0xd800 && ca <= 0xdfff;
      const surrogateB = cb >= 0xd800 && cb <= 0xdfff;
      // A surrogate (half of a code point above U+FFFF) sorts after every BMP unit above it.
      if (surrogateA !== surrogateB && (ca >= 0xe000 || cb >= 0xe000)) return surrogateA ? 1 : -1;
      return ca - cb;
    }
  }
  return a.length - b.length;
}

/** Python's `json.dumps(s, ensure_ascii=False)` for a well-formed string. */
export function dumpString(s: string): string {
  return JSON.stringify(s);
}

const INDENTS: string[] = [];
function indentOf(level: number): string {
  return (INDENTS[level] ??= ' '.repeat(level));
}

/** Writes one child of an object or array at `indent`; the default is {@link dumpValue}. */
export type ChildWriter = (out: string[], value: unknown, indent: number, container: Container, key: Key) => void;

/** Append `obj` with sorted keys; keys whose value is undefined are left out, as JSON.stringify does. */
export function dumpObject(
  out: string[],
  obj: { [key: string]: unknown },
  indent: number,
  writeChild: (key: string) => ChildWriter | null = () => dumpValue,
): void {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  const writers: Array<[string, ChildWriter]> = [];
  for (const k of keys) {
    const w = writeChild(k);
    if (w) writers.push([k, w]);
  }
  if (writers.length === 0) {
    out.push('{}');
    return;
  }
  writers.sort((a, b) => compareCodePoints(a[0], b[0]));
  const inner = indentOf(indent + 1);
  out.push('{\n');
  writers.forEach(([k, w], i) => {
    if (i > 0) out.push(',\n');
    out.push(inner, dumpString(k), ': ');
    w(out, obj[k], indent + 1, obj, k);
  });
  out.push('\n', indentOf(indent), '}');
}

/** Append `arr`, one item per line. */
export function dumpArray(out: string[], arr: readonly unknown[], indent: number, writeItem: ChildWriter = dumpValue): void {
  if (arr.length === 0) {
    out.push('[]');
    return;
  }
  const inner = indentOf(indent + 1);
  out.push('[\n');
  for (let i = 0; i < arr.length; i++) {
    if (i > 0) out.push(',\n');
    out.push(inner);
    // JSON.stringify writes holes and undefined items as null; so do we.
    writeItem(out, arr[i] === undefined ? null : arr[i], indent + 1, arr, i);
  }
  out.push('\n', indentOf(indent), ']');
}

/** Append any JSON value the way Python's json.dumps(indent=1, sort_keys=True) writes it. */
export function dumpValue(out: string[], value: unknown, indent: number, container: Container | null = null, key: Key | null = null): void {
  switch (typeof value) {
    case 'string':
      out.push(dumpString(value));
      return;
    case 'number':
      out.push(numberText(container, key, value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.push('null');
      else if (Array.isArray(value)) dumpArray(out, value, indent);
      else dumpObject(out, value as { [key: string]: unknown }, indent);
      return;
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
}

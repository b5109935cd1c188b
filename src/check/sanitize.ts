// Sanitizers: regex replacements applied to output text before comparison.
//
// Built-in ones cover what changes from run to run on its own (memory addresses,
// timestamps, UUIDs, temp paths). User ones come from a file in nbval's
// `--sanitize-with` format or an equivalent YAML list. Both file forms hold Python
// regexes and Python `re.sub` replacement templates, since that is what nbval
// suites already contain; they are translated to JavaScript here.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { SanitizerFileError } from './errors.js';

export interface Sanitizer {
  /** For messages: the built-in's name, or `file:line`. */
  name: string;
  /** Always has the `g` flag. */
  regex: RegExp;
  /** A function, or a string in JavaScript's `String.prototype.replace` syntax. */
  replace: string | ((match: string, ...rest: unknown[]) => string);
}

// Characters that end a path in running text.
const PATH_CHAR = String.raw`[^\s'"\`<>()\[\]{},;:|]`;
// A temp root must start a path, not sit inside one (/home/x/tmp/... is not a temp path).
const PATH_START = String.raw`(?<![\w.~\-/\\])`;
const WIN_SEP = String.raw`\\{1,2}`;

/** The built-ins, in the order they run. Off with `noDefaultSanitizers`. */
export const DEFAULT_SANITIZERS: readonly Sanitizer[] = Object.freeze([
  {
    // /tmp/..., /var/tmp/..., /private/tmp/..., macOS /var/folders/..., Windows ...\AppData\Local\Temp\...
    // The whole path is replaced, since any component below the root may be random.
    name: 'temp-path',
    regex: new RegExp(
      [
        String.raw`${PATH_START}(?:/private)?(?:/var)?/tmp/${PATH_CHAR}+`,
        String.raw`${PATH_START}(?:/private)?/var/folders/${PATH_CHAR}+`,
        String.raw`\b[A-Za-z]:${WIN_SEP}(?:Users${WIN_SEP}[^\\\s'"]+${WIN_SEP}AppData${WIN_SEP}Local${WIN_SEP}Temp|Windows${WIN_SEP}Temp)(?:${WIN_SEP}[^\\\s'"\`<>()\[\]{},;:|]+)*`,
      ].join('|'),
      'g',
    ),
    replace: '<TEMP_PATH>',
  },
  {
    name: 'uuid',
    regex: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    replace: '<UUID>',
  },
  {
    // ISO-8601 / RFC 3339 date-times: `T` or a space between date and time; seconds,
    // fraction and offset optional. A bare date is left alone.
    name: 'timestamp',
    regex: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?(?!\d)/g,
    replace: '<TIMESTAMP>',
  },
  {
    // 8 to 16 hex digits: what CPython's `<... at 0x7f3a...>` reprs and pointers print.
    name: 'memory-address',
    regex: /\b0x[0-9a-fA-F]{8,16}\b/g,
    replace: '0x<ADDRESS>',
  },
]);

/** The sanitizers a comparison uses: the user's first, then the built-ins unless turned off. */
export function resolveSanitizers(opts: { sanitizers?: Sanitizer[]; noDefaultSanitizers?: boolean }): Sanitizer[] {
  return [...(opts.sanitizers ?? []), ...(opts.noDefaultSanitizers ? [] : DEFAULT_SANITIZERS)];
}

export function applySanitizers(text: string, sanitizers: readonly Sanitizer[]): string {
  let out = text;
  for (const s of sanitizers) {
    s.regex.lastIndex = 0;
    out = out.replace(s.regex, s.replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Python regex -> JavaScript

/** Thrown by the translators; the loaders turn it into a SanitizerFileError with the location. */
class TranslateError extends Error {}

/**
 * Translate a Python `re` pattern to a JavaScript RegExp (with `g`). Handles what differs and
 * shows up in sanitizer files: leading inline flags `(?i)` `(?m)` `(?s)` (`a`, `u`, `L` accepted
 * and ignored), `(?P<name>...)`, `(?P=name)`, `\A`, `\Z`. Verbose mode `(?x)` is refused.
 */
export function pythonRegex(pattern: string): RegExp {
  const { flags, rest } = leadingFlags(pattern);
  const out = translatePattern(rest);
  try {
    return new RegExp(out, [...flags].join(''));
  } catch (e) {
    throw new TranslateError(`invalid regex: ${(e as Error).message}`);
  }
}

/** `(?i)`, `(?ms)`… at the start, as JavaScript flags (with `g`); the pattern after them. */
function leadingFlags(pattern: string): { flags: Set<string>; rest: string } {
  let rest = pattern;
  const flags = new Set<string>(['g']);
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const f of m[1]!) {
      if (f === 'x') throw new TranslateError('verbose regexes ((?x)) are not supported');
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
    }
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** The pattern's body in JavaScript's syntax: escapes, character classes, named groups, back-references, comments. */
function translatePattern(rest: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const n = rest[i + 1];
      if (n === undefined) throw new TranslateError('pattern ends with a lone backslash');
      out += inClass ? c + n : translateEscape(n);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      const open = classOpening(rest, i);
      out += open.text;
      i = open.last;
    } else {
      const group = translateGroup(rest, i);
      out += group?.text ?? c;
      if (group) i = group.last;
    }
  }
  return out;
}

function translateEscape(n: string): string {
  if (n === 'A') return '(?<![\\s\\S])';
  if (n === 'Z') return '(?![\\s\\S])';
  return '\\' + n;
}

/** `[`, `[^`, and a `]` right after them, which is a literal in Python (escaped for JavaScript). */
function classOpening(rest: string, i: number): { text: string; last: number } {
  let text = '[';
  if (rest[i + 1] === '^') {
    text += '^';
    i++;
  }
  if (rest[i + 1] === ']') {
    text += '\\]';
    i++;
  }
  return { text, last: i };
}

/** `(?P<name>`, `(?P=name)` and `(?#comment)` at `i`: their JavaScript text and the index of their last character. */
function translateGroup(rest: string, i: number): { text: string; last: number } | undefined {
  if (rest.startsWith('(?P<', i)) return { text: '(?<', last: i + 3 };
  const backref = /^\(\?P=(\w+)\)/.exec(rest.slice(i));
  if (backref) return { text: `\\k<${backref[1]}>`, last: i + backref[0].length - 1 };
  if (rest.startsWith('(?#', i)) {
    const end = rest.indexOf(')', i);
    if (end < 0) throw new TranslateError('unterminated comment group (?#');
    return { text: '', last: end };
  }
  return undefined;
}

type TemplatePart = string | { group: number | string };

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Parse a Python `re.sub` replacement template: `\1`, `\g<1>`, `\g<name>`, `\n`-style escapes. */
function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = template[i + 1];
    if (n === undefined) throw new TranslateError('replacement ends with a lone backslash');
    if (n === 'g') {
      const m = /^\\g<([^>]*)>/.exec(template.slice(i));
      if (!m) throw new TranslateError('bad \\g group reference in replacement (use \\g<name> or \\g<1>)');
      flush();
      parts.push({ group: /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]! });
      i += m[0].length - 1;
      continue;
    }
    const octal = /^\\(0[0-7]{0,2}|[0-7]{3})/.exec(template.slice(i));
    if (octal) {
      lit += String.fromCharCode(parseInt(octal[1]!, 8));
      i += octal[0].length - 1;
      continue;
    }
    const num = /^\\(\d{1,2})/.exec(template.slice(i));
    if (num) {
      flush();
      parts.push({ group: Number(num[1]) });
      i += num[0].length - 1;
      continue;
    }
    if (Object.hasOwn(SIMPLE_ESCAPES, n)) {
      lit += SIMPLE_ESCAPES[n];
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(n)) throw new TranslateError(`bad escape \\${n} in replacement`);
    lit += c + n; // Python keeps unknown non-letter escapes as they are
    i++;
  }
  flush();
  return parts;
}

/** A sanitizer from a Python regex and a Python replacement template, checked up front. */
export function pythonSanitizer(name: string, regex: string, replace: string): Sanitizer {
  const re = pythonRegex(regex);
  const parts = parseTemplate(replace);
  const probe = new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!;
  const groupCount = probe.length - 1;
  const groupNames = new Set(Object.keys(probe.groups ?? {}));
  for (const p of parts) {
    if (typeof p === 'string') continue;
    if (typeof p.group === 'number' ? p.group > groupCount : !groupNames.has(p.group)) {
      throw new TranslateError(`replacement refers to group ${p.group}, which the regex does not have`);
    }
  }
  const fn = (match: string, ...rest: unknown[]): string => {
    const groups = rest.slice(0, groupCount) as (string | undefined)[];
    const named = (rest[groupCount + 2] ?? {}) as Record<string, string | undefined>;
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (p.group === 0) out += match;
      else if (typeof p.group === 'number') out += groups[p.group - 1] ?? '';
      else out += named[p.group] ?? '';
    }
    return out;
  };
  return { name, regex: re, replace: fn };
}

// ---------------------------------------------------------------------------
// Files

/**
 * nbval's format: a `regex: PATTERN` line immediately followed by a `replace: TEXT` line.
 * `[section]` headers, `#`/`;` comments and blank lines between pairs are ignored, as in nbval.
 * The value is everything after `regex:`/`replace:` and one optional space, so trailing spaces count.
 * Stricter than nbval in one way: a `regex:` without its `replace:` (or the reverse) is an error
 * instead of being silently dropped.
 */
export function parseSanitizerIni(text: string, file = '<sanitizers>'): Sanitizer[] {
  const lines = text.split(/\r?\n/);
  const out: Sanitizer[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const isReplace = /^replace:/.test(line);
    if (isReplace) throw new SanitizerFileError(file, `line ${i + 1}: replace: without a regex: line right before it`);
    const m = /^regex: ?(.*)$/.exec(line);
    if (!m) continue;
    const next = /^replace: ?(.*)$/.exec(lines[i + 1] ?? '');
    if (!next) throw new SanitizerFileError(file, `line ${i + 1}: regex: must be followed on the next line by replace:`);
    out.push(build(file, i + 1, m[1]!, next[1]!));
    i++;
  }
  if (out.length === 0) throw new SanitizerFileError(file, 'no regex:/replace: pairs found');
  return out;
}

/** The YAML (or JSON) form: a list of `{regex, replace}` mappings, same Python syntax as the INI form. */
export function parseSanitizerYaml(text: string, file = '<sanitizers>'): Sanitizer[] {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new SanitizerFileError(file, `not valid YAML: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  if (!Array.isArray(doc)) throw new SanitizerFileError(file, 'expected a list of {regex, replace} entries');
  if (doc.length === 0) throw new SanitizerFileError(file, 'the list of sanitizers is empty');
  return doc.map((entry: unknown, i) => {
    const where = `entry ${i + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new SanitizerFileError(file, `${where}: expected a mapping with regex and replace`);
    }
    const { regex, replace, ...extra } = entry as Record<string, unknown>;
    const unknownKeys = Object.keys(extra);
    if (unknownKeys.length) throw new SanitizerFileError(file, `${where}: unknown key ${unknownKeys.join(', ')}`);
    if (typeof regex !== 'string' || regex === '') throw new SanitizerFileError(file, `${where}: regex must be a non-empty string`);
    if (typeof replace !== 'string' && typeof replace !== 'number') {
      throw new SanitizerFileError(file, `${where}: replace must be a string`);
    }
    return build(file, where, regex, String(replace));
  });
}

function build(file: string, where: number | string, regex: string, replace: string): Sanitizer {
  const loc = typeof where === 'number' ? `line ${where}` : where;
  try {
    return pythonSanitizer(`${file} ${loc}`, regex, replace);
  } catch (e) {
    if (e instanceof TranslateError) throw new SanitizerFileError(file, `${loc}: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * Read a `--sanitize_with` file. `.yaml`, `.yml` and `.json` files are read as the YAML list;
 * anything else as nbval's INI format, falling back to YAML when no `regex:` line starts a line.
 */
export function loadSanitizers(file: string): Sanitizer[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SanitizerFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`, { cause: e });
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return parseSanitizerYaml(text, file);
  if (!/^regex:/m.test(text) && /^\s*-/m.test(text)) return parseSanitizerYaml(text, file);
  return parseSanitizerIni(text, file);
}

// --where expressions over result rows, e.g. `lr<0.1 and status=success`:
//
//   expr  := or ;  or := and ('or' and)* ;  and := not ('and' not)* ;  not := 'not' not | atom
//   atom  := '(' expr ')' | COLUMN OP VALUE
//   OP    := = == != < <= > >= ~        (~ : contains, case-insensitive)
//   VALUE := number | 'text' | "text" | word      (None, True, False as in Python)
//
// Numbers compare as numbers; everything else compares by its text (valueText). A missing
// value matches only `!=`. On the tags column, `=` means "has this tag".
import { UsageError } from '../../errors.js';
import type { JSONValue } from '../../notebook/types.js';
import { valueText } from '../../notebook/valueText.js';

export type Row = Record<string, JSONValue | undefined>;
export type Predicate = (row: Row) => boolean;

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';
type Token = { kind: 'word' | 'string' | 'op' | 'paren'; text: string; pos: number };

export class WhereError extends UsageError {}

const OPS = ['==', '!=', '<=', '>=', '=', '<', '>', '~'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: 'paren', text: ch, pos: i++ });
    } else if (ch === '"' || ch === "'") {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw new WhereError(`--where: unterminated string at position ${i + 1}: ${src}`);
      out.push({ kind: 'string', text: src.slice(i + 1, end), pos: i });
      i = end + 1;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (op) {
        out.push({ kind: 'op', text: op === '==' ? '=' : op, pos: i });
        i += op.length;
      } else {
        const m = /^[^\s()<>=!~"']+/.exec(src.slice(i));
        if (!m) throw new WhereError(`--where: unexpected "${ch}" at position ${i + 1}: ${src}`);
        out.push({ kind: 'word', text: m[0], pos: i });
        i += m[0].length;
      }
    }
  }
  return out;
}

/** Parses `src`; `columns` are the known column names (an unknown one is an error naming them). */
export function parseWhere(src: string, columns: readonly string[]): Predicate {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === w;
  const fail = (what: string): never => {
    const t = peek();
    throw new WhereError(`--where: ${what} ${t ? `at "${t.text}" (position ${t.pos + 1})` : 'at the end'}: ${src}`);
  };

  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (isWord('or')) {
      p++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((f) => f(r));
  };
  const andExpr = (): Predicate => {
    const parts = [notExpr()];
    while (isWord('and')) {
      p++;
      parts.push(notExpr());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((f) => f(r));
  };
  const notExpr = (): Predicate => {
    if (isWord('not')) {
      p++;
      const inner = notExpr();
      return (r) => !inner(r);
    }
    return atom();
  };
  const atom = (): Predicate => {
    const t = peek();
    if (!t) return fail('expected a comparison');
    if (t.kind === 'paren' && t.text === '(') {
      p++;
      const inner = orExpr();
      if (peek()?.text !== ')') fail('expected ")"');
      p++;
      return inner;
    }
    if (t.kind !== 'word' && t.kind !== 'string') return fail('expected a column name');
    const column = t.text;
    if (!columns.includes(column)) throw new WhereError(`--where: unknown column "${column}"; columns: ${columns.join(', ')}`);
    p++;
    const op = peek();
    if (op?.kind !== 'op') return fail(`expected an operator (= != < <= > >= ~) after "${column}"`);
    p++;
    const v = peek();
    if (!v || (v.kind !== 'word' && v.kind !== 'string')) return fail(`expected a value after "${column}${op.text}"`);
    p++;
    return comparison(column, op.text as Op, v.text, v.kind === 'string');
  };

  const pred = orExpr();
  if (p < tokens.length) fail('expected "and", "or" or the end');
  return pred;
}

function literal(text: string, quoted: boolean): JSONValue {
  if (quoted) return text;
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

export function comparison(column: string, op: Op, text: string, quoted = false): Predicate {
  const want = literal(text, quoted);
  const wantText = quoted ? text : valueText(want);
  return (row) => {
    const got = row[column];
    if (got === undefined) return op === '!=';
    if (column === 'tags' && Array.isArray(got) && (op === '=' || op === '!=')) return got.some((t) => valueText(t) === wantText) === (op === '=');
    if (op === '~') return valueText(got).toLowerCase().includes(wantText.toLowerCase());
    if (typeof got === 'number' && typeof want === 'number') {
      switch (op) {
        case '=':
          return got === want;
        case '!=':
          return got !== want;
        case '<':
          return got < want;
        case '<=':
          return got <= want;
        case '>':
          return got > want;
        case '>=':
          return got >= want;
      }
    }
    const g = valueText(got);
    switch (op) {
      case '=':
        return g === wantText;
      case '!=':
        return g !== wantText;
      default:
        return false; // < and > compare numbers only
    }
  };
}

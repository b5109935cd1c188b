// The machinery behind the flag table (src/cli/flagTable.ts): what an entry is, the
// entry builders, and the two things a command does with a table — declare its flags to
// yargs (help text included) and turn argv into a typed options object. Flags are
// snake_case (the kebab-case spelling is rewritten to it before parsing: ./argv.ts); argv
// values become typed ones with one-line errors.
import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors.js';

export type ArgvValues = Record<string, unknown>;

/** One command-line flag as yargs sees it: snake_case name, type, help text. */
export interface FlagSpec {
  name: string;
  type: 'string' | 'number' | 'boolean';
  describe: string;
  default?: string | number | boolean;
  /** Accepted but not shown in --help (a second spelling of a visible flag). */
  hidden?: boolean;
  /** Short aliases, e.g. 'p'. */
  alias?: string[];
  /** Values after the flag (`-p NAME VALUE`: 2); repeated flags collect them all, in order. */
  nargs?: number;
  /** Shown as [required] in --help; the entry's parse enforces it (with its own exceptions, e.g. --dry_run). */
  required?: boolean;
}

/** The flags that fill one option, and how their argv values become its typed value. */
export interface Flag<V> {
  readonly flags: readonly FlagSpec[];
  parse(argv: ArgvValues): V;
}

/**
 * One entry per field of the options type O: the flag(s) that fill it, or `null` for the
 * fields named in `Unflagged`, which the command sets itself. A field without an entry, an
 * entry without a field, or an entry whose value type differs from the field's is a
 * compile error.
 */
export type FlagTable<O, Unflagged extends keyof O = never> = {
  readonly [K in keyof Required<O>]: K extends Unflagged ? null : Flag<O[K]>;
};

type Extra = Omit<FlagSpec, 'name' | 'type' | 'describe'>;

/** A string flag; '' counts as not given. */
export function string(name: string, describe: string, extra: Extra = {}): Flag<string | undefined> {
  return { flags: [{ name, type: 'string', describe, ...extra }], parse: (a) => str(a[name]) };
}

/** A number flag without a default: undefined when not given, a UsageError when not a number. */
export function number(name: string, describe: string, extra: Extra = {}): Flag<number | undefined> {
  return { flags: [{ name, type: 'number', describe, ...extra }], parse: (a) => optNum(a[name], name) };
}

/** An on/off flag, off unless given. */
export function boolean(name: string, describe: string, extra: Extra = {}): Flag<boolean> {
  return { flags: [{ name, type: 'boolean', describe, default: false, ...extra }], parse: (a) => a[name] === true };
}

/** A value computed from one or more flags (validation, a second spelling, a combined value). */
export function flag<V>(flags: FlagSpec[], parse: (argv: ArgvValues) => V): Flag<V> {
  return { flags, parse };
}

/** A nested options object filled from its own table (check's `engine` settings). */
export function group<O>(table: FlagTable<O>): Flag<O> {
  return { flags: flagsOf(table), parse: (a) => fromFlags<O>(table, a, {}) };
}

/** Every flag a table defines, in table order. */
export function flagsOf<O, U extends keyof O>(table: FlagTable<O, U>): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const entry of Object.values(table) as (Flag<unknown> | null)[]) if (entry) out.push(...entry.flags);
  return out;
}

/** Declares a table's flags to yargs: this is where --help gets its text. */
export function declareFlags<O, U extends keyof O>(y: Argv, table: FlagTable<O, U>): Argv {
  let a = y;
  for (const f of flagsOf(table)) {
    const o: Options = { type: f.type, describe: f.required ? `${f.describe} [required]` : f.describe };
    if (f.default !== undefined) o.default = f.default;
    if (f.hidden) o.hidden = true;
    if (f.alias?.length) o.alias = f.alias;
    if (f.nargs) o.nargs = f.nargs;
    a = a.option(f.name, o) as Argv;
  }
  return a;
}

/**
 * argv → the typed options, entry by entry in table order (so errors come in that order);
 * `set` gives the fields the command fills itself (the table's `null` entries).
 */
export function fromFlags<O, U extends keyof O = never>(table: FlagTable<O, U>, argv: ArgvValues, set: Pick<O, U>): O {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(table) as [string, Flag<unknown> | null][]) {
    if (entry) out[key] = entry.parse(argv);
  }
  return { ...out, ...set } as O;
}

/** Every value of a repeatable flag (yargs gives one value, or an array when repeated). */
export function strings(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(v: unknown, name: string): number {
  const n = Number(v);
  if (v === '' || v === null || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${v}"`);
  return n;
}

export function optNum(v: unknown, name: string): number | undefined {
  return v === undefined ? undefined : num(v, name);
}

/** A positive number of seconds (a timeout, a grace period); the error echoes what the user typed. */
export function optSeconds(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const text = String(v).trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number of seconds, not "${String(v)}"`);
  return n;
}

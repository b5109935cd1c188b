// Small helpers every command's flags share: snake_case names with kebab-case aliases,
// and argv values turned into typed ones with one-line errors.
import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors.js';

/** Defines `name` (snake_case) with its kebab-case alias. */
export function opt(y: Argv, name: string, o: Options): Argv {
  const kebab = name.replace(/_/g, '-');
  const extra = o.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias : [String(o.alias)];
  const alias = kebab !== name ? [kebab, ...extra] : extra;
  return y.option(name, { ...o, alias }) as Argv;
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

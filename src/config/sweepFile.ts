// Sweep files (.yaml, .yml, .json): groups of configs made from a grid, fixed values and
// explicit lists. The format is documented in README.md, "Sweep files".
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, Scalar, stringify as yamlStringify } from 'yaml';
import { canonicalJson } from './canonical.js';
import { ConfigBuilderError } from './errors.js';
import { flattenParams, runNames } from './names.js';
import { hasExactNumbers, isLosslessNumber, parseExact, toPlain, type ExactJSON } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';
import { losslessNumberTags } from './yamlNumbers.js';
import type { ConfigPlan, PlannedConfig } from './types.js';

type JSONObject = { [key: string]: JSONValue };

const GROUP_KEYS = ['_title', 'grid', 'fixed', 'configs'];
/** A grid bigger than this is surely a mistake. */
export const MAX_SWEEP_CONFIGS = 100_000;

export interface SweepFileOptions {
  /** Keep only the groups with this `_title` (or any of these). Indices stay file-wide. */
  title?: string | string[];
}

export interface SweepGroupConfig {
  index: number;
  json: JSONObject;
  title?: string;
}

/** Read and expand a sweep file. */
export async function planFromSweepFile(path: string, opts: SweepFileOptions = {}): Promise<ConfigPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? err})`;
    throw new ConfigBuilderError('sweep-file', `sweep file ${path} ${why}`, { cause: err });
  }
  return planFromSweepText(text, { ...opts, builder: path, format: path.toLowerCase().endsWith('.json') ? 'json' : 'yaml' });
}

/** Expand the text of a sweep file into a plan (pure; `builder` names the file in messages). */
export function planFromSweepText(
  text: string,
  opts: SweepFileOptions & { builder: string; format?: 'yaml' | 'json' },
): ConfigPlan {
  const where = `sweep file ${opts.builder}`;
  const all = expandSweepText(text, where, opts.format ?? 'yaml');
  const titles = opts.title === undefined ? [] : ([] as string[]).concat(opts.title).map(String);
  let chosen = all;
  if (titles.length > 0) {
    chosen = all.filter((c) => c.title !== undefined && titles.includes(c.title));
    const missing = titles.filter((t) => !all.some((c) => c.title === t));
    if (missing.length > 0) {
      const known = [...new Set(all.map((c) => c.title).filter((t): t is string => t !== undefined))];
      throw new ConfigBuilderError(
        'sweep-file',
        `${where} has no group with _title ${missing.map((t) => JSON.stringify(t)).join(', ')}` +
          (known.length ? ` (titles: ${known.join(', ')})` : ' (no group has a _title)'),
      );
    }
  }
  // Numbers are exact here (1.0, big ints as LosslessNumber); json and params are the plain view.
  const plain = chosen.map((c) => toPlain(c.json as ExactJSON) as JSONObject);
  const params = plain.map((json) => flattenParams(json));
  const names = runNames(
    chosen.map((c, i) => ({
      index: c.index,
      // The exact form: a run swept over 1.0 or 1e16 is named `x=1.0` / `x=1e+16`, as Python prints them.
      params: flattenParams(c.json as JSONValue),
      nameHint: typeof c.json._name === 'string' ? c.json._name : null,
    })),
  );
  const configs: PlannedConfig[] = chosen.map((c, i) => ({
    index: c.index,
    json: plain[i]!,
    ...(hasExactNumbers(c.json) ? { exact: c.json as ExactJSON } : {}),
    repr: yamlStringify(c.json, exactYamlNumber).trimEnd(),
    name: names[i]!,
    params: params[i]!,
    ...(c.title !== undefined ? { title: c.title } : {}),
  }));
  return {
    builder: opts.builder,
    kind: 'sweep-file',
    configs,
    ...(titles.length ? { title: titles.join(',') } : {}),
  };
}

/** yaml's stringify replacer: a LosslessNumber is written as the number it holds (`1.0`, every digit). */
export function exactYamlNumber(_key: unknown, value: unknown): unknown {
  if (!isLosslessNumber(value)) return value;
  const text = (value as { value: string }).value;
  if (/^-?\d+$/.test(text)) return new Scalar(BigInt(text));
  const node = new Scalar(Number(text));
  // An integral float keeps a float's form: `1.0`, or `1e+16` (yaml would print 10000000000000000, an int).
  if (/e/i.test(text)) node.format = 'EXP';
  else node.minFractionDigits = Math.max(1, text.length - text.indexOf('.') - 1);
  return node;
}

/** Every config of the file, all groups, numbered in file order. */
export function expandSweepText(text: string, where: string, format: 'yaml' | 'json'): SweepGroupConfig[] {
  const groups = parseGroups(text, where, format);
  if (groups.length === 0) throw new ConfigBuilderError('sweep-file', `${where} defines no configs (it is empty)`);
  const out: SweepGroupConfig[] = [];
  groups.forEach((g, gi) => {
    for (const json of expandGroup(g, `${where}, ${groups.length > 1 ? `group ${gi + 1}` : 'the group'}`, out.length)) {
      out.push({ index: out.length, json, ...(g._title !== undefined ? { title: String(g._title) } : {}) });
    }
  });
  rejectDuplicates(out, where);
  return out;
}

function parseGroups(text: string, where: string, format: 'yaml' | 'json'): JSONObject[] {
  let docs: unknown[];
  if (format === 'json') {
    try {
      docs = [parseExact(text)];
    } catch (err) {
      throw new ConfigBuilderError('sweep-file', `${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  } else {
    docs = [];
    for (const doc of parseAllDocuments(text, { customTags: losslessNumberTags })) {
      const err = doc.errors[0];
      if (err) {
        throw new ConfigBuilderError('sweep-file', `${where} is not valid YAML: ${err.message.split('\n')[0]}`, {
          detail: err.message,
          cause: err,
        });
      }
      docs.push(doc.toJS({ maxAliasCount: 10_000 }));
    }
  }
  const groups: JSONObject[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    for (const g of Array.isArray(doc) ? doc : [doc]) {
      const label = `${where}, group ${groups.length + 1}`;
      if (!isObject(g)) {
        throw new ConfigBuilderError(
          'sweep-file',
          `${label} is ${describe(g)}; each group is a mapping with grid:, fixed:, configs: and _title:`,
        );
      }
      checkJson(g, label, '');
      groups.push(g as JSONObject);
    }
  }
  return groups;
}

function expandGroup(g: JSONObject, label: string, offset: number): JSONObject[] {
  const unknown = Object.keys(g).filter((k) => !GROUP_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new ConfigBuilderError(
      'sweep-file',
      `${label}: unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')}; a group holds grid: (lists to combine), fixed: (values for every config), configs: (a list of configs) and _title:`,
    );
  }
  if (g._title !== undefined && typeof g._title !== 'string' && typeof g._title !== 'number') {
    throw new ConfigBuilderError('sweep-file', `${label}: _title must be a string, got ${describe(g._title)}`);
  }
  if (g.grid === undefined && g.fixed === undefined && g.configs === undefined) {
    throw new ConfigBuilderError('sweep-file', `${label} defines no configs: give it grid:, fixed: or configs:`);
  }
  const fixed = g.fixed ?? {};
  if (!isObject(fixed)) throw new ConfigBuilderError('sweep-file', `${label}: fixed: must be a mapping, got ${describe(fixed)}`);
  const grid = g.grid ?? {};
  if (!isObject(grid)) throw new ConfigBuilderError('sweep-file', `${label}: grid: must be a mapping of lists, got ${describe(grid)}`);
  const axes = Object.entries(grid as JSONObject);
  let size = 1;
  for (const [k, values] of axes) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ConfigBuilderError(
        'sweep-file',
        `${label}: grid.${k} must be a non-empty list of values, got ${describe(values)} (a single value goes under fixed:)`,
      );
    }
    size *= values.length;
  }
  let bases: JSONObject[] = [{}];
  if (g.configs !== undefined) {
    if (!Array.isArray(g.configs) || g.configs.length === 0 || !g.configs.every(isObject)) {
      throw new ConfigBuilderError('sweep-file', `${label}: configs: must be a non-empty list of mappings`);
    }
    bases = g.configs as JSONObject[];
  }
  if (offset + size * bases.length > MAX_SWEEP_CONFIGS) {
    throw new ConfigBuilderError('sweep-file', `${label} expands to ${size * bases.length} configs, more than ${MAX_SWEEP_CONFIGS}`);
  }
  for (const [k] of axes) {
    const clash = k in (fixed as JSONObject) ? 'fixed:' : bases.some((b) => k in b) ? 'configs:' : undefined;
    if (clash) throw new ConfigBuilderError('sweep-file', `${label}: key ${k} is both in grid: and in ${clash}`);
  }
  const out: JSONObject[] = [];
  for (const base of bases) {
    for (const point of product(axes)) out.push({ ...(fixed as JSONObject), ...base, ...point });
  }
  return out;
}

/** Cartesian product of the axes, the last axis varying fastest (like itertools.product). */
function* product(axes: Array<[string, JSONValue]>): Generator<JSONObject> {
  const lists = axes.map(([, v]) => v as JSONValue[]);
  const idx = axes.map(() => 0);
  while (true) {
    const point: JSONObject = {};
    axes.forEach(([k], i) => (point[k] = lists[i]![idx[i]!]!));
    yield point;
    let i = axes.length - 1;
    while (i >= 0 && ++idx[i]! === lists[i]!.length) idx[i--] = 0;
    if (i < 0) return;
  }
}

function rejectDuplicates(configs: SweepGroupConfig[], where: string): void {
  const seen = new Map<string, number[]>();
  for (const c of configs) {
    const key = canonicalJson(c.json);
    seen.set(key, [...(seen.get(key) ?? []), c.index]);
  }
  const dups = [...seen.values()].filter((g) => g.length > 1);
  if (dups.length > 0) {
    const text = dups.slice(0, 10).map((g) => `[${g.join(', ')}]`).join(', ');
    throw new ConfigBuilderError(
      'sweep-file',
      `${where} has duplicate configs at indices ${text}${dups.length > 10 ? ` and ${dups.length - 10} more groups` : ''}; every config must differ`,
    );
  }
}

function checkJson(v: unknown, label: string, path: string): void {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new ConfigBuilderError('sweep-file', `${label}: ${path || 'a value'} is ${v}, which JSON cannot hold`);
  }
  if (v instanceof Date || v instanceof Map || v instanceof Set || typeof v === 'bigint' || v instanceof Uint8Array) {
    throw new ConfigBuilderError('sweep-file', `${label}: ${path || 'a value'} is ${describe(v)}, which JSON cannot hold`);
  }
  if (Array.isArray(v)) v.forEach((x, i) => checkJson(x, label, `${path}[${i}]`));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) checkJson(x, label, path ? `${path}.${k}` : k);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 29)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

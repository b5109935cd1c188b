// papermill's parameter flags, read the way papermill's cli.py reads them:
//   -f FILE (--parameters_file)  a YAML file holding a mapping (PyYAML's YAML 1.1, dates kept as text)
//   -y YAML (--parameters_yaml)  the same, inline
//   -p NAME VALUE (--parameters) VALUE is True/False/None, else an int, else a float, else the text
//   -r NAME VALUE (--parameters_raw) VALUE is the text
// merged in papermill's order (every -f, then every -y, then -p, then -r; later wins). Without a
// builder they are the one config; with one, they are added to (and override) every config.
import { readFileSync } from 'node:fs';
import { parseDocument, stringify as yamlStringify, type ScalarTag, type Tags } from 'yaml';
import { ConfigBuilderError } from './errors.js';
import { canonicalJson } from './canonical.js';
import { flattenParams, runNames } from './names.js';
import { exactYamlNumber } from './sweepFile.js';
import { losslessNumberTags } from './yamlNumbers.js';
import { exactNumber, hasExactNumbers, isLosslessNumber, stringifyExact, toPlain, translatorFor, type ExactJSON } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';
import type { ConfigPlan, PlannedConfig } from './types.js';

export type Parameters = { [name: string]: ExactJSON };

export interface ParameterFlags {
  /** -p: NAME VALUE pairs, flat. */
  values?: string[];
  /** -r: NAME VALUE pairs, flat. */
  raw?: string[];
  files?: string[];
  yaml?: string[];
}

/** The merged parameters, or undefined when no parameter flag was given. Throws ConfigBuilderError. */
export function readParameters(f: ParameterFlags): Parameters | undefined {
  const given = [f.values, f.raw, f.files, f.yaml].some((l) => l && l.length > 0);
  if (!given) return undefined;
  const out: Parameters = {};
  for (const file of f.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigBuilderError('parameters', `parameters file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? err})`}`, { cause: err });
    }
    Object.assign(out, yamlMapping(text, `parameters file ${file}`));
  }
  for (const text of f.yaml ?? []) Object.assign(out, yamlMapping(text, `-y ${JSON.stringify(text)}`));
  for (const [name, value] of pairs(f.values, '-p')) out[name] = finite(papermillValue(value), `-p ${name} ${value}`);
  for (const [name, value] of pairs(f.raw, '-r')) out[name] = value;
  return out;
}

function pairs(flat: string[] | undefined, flag: string): Array<[string, string]> {
  const list = flat ?? [];
  if (list.length % 2) throw new ConfigBuilderError('parameters', `${flag} takes a NAME and a VALUE, e.g. ${flag} lr 0.1`);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < list.length; i += 2) out.push([String(list[i]), String(list[i + 1])]);
  return out;
}

// Python's int() and float() on text: underscores between digits, surrounding whitespace.
const DIGITS = '\\d+(?:_\\d+)*';
const PY_INT = new RegExp(`^\\s*[+-]?${DIGITS}\\s*$`);
const PY_FLOAT = new RegExp(`^\\s*[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?\\s*$`);
const PY_INF_NAN = /^\s*[+-]?(?:inf|infinity|nan)\s*$/i;

/** papermill's `_resolve_type`: "True"/"False"/"None", else int(v), else float(v), else v. */
export function papermillValue(v: string): ExactJSON {
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  if (PY_INT.test(v)) return exactNumber(v.replace(/_/g, ''), true);
  if (PY_FLOAT.test(v)) return exactNumber(v.replace(/_/g, ''), false);
  if (PY_INF_NAN.test(v)) return Number(/nan/i.test(v) ? NaN : v.trim().startsWith('-') ? -Infinity : Infinity);
  return v;
}

function finite(v: ExactJSON, what: string): ExactJSON {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ConfigBuilderError('parameters', `${what}: ${v} is not a value JSON can hold`);
  return v;
}

const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
/** Where PyYAML's YAML 1.1 is narrower than the spec's: a float needs a dot and a signed
 *  exponent (`1e3` is text), and `y`/`n` are text, not booleans. */
const PYYAML: Record<string, string> = {
  'tag:yaml.org,2002:float': String.raw`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`,
  'tag:yaml.org,2002:bool': 'yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF',
};

/** PyYAML's SafeLoader as papermill uses it: YAML 1.1, no timestamps, exact numbers. */
function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => !(typeof t === 'object' && t.tag === TIMESTAMP)).map((t) => {
    const narrower = typeof t === 'object' ? PYYAML[t.tag] : undefined;
    if (typeof t !== 'object' || !narrower || !('test' in t) || !(t.test instanceof RegExp)) return t;
    return { ...t, test: new RegExp(`^(?=(?:${narrower})$)(?:${t.test.source})`) } as ScalarTag;
  });
  return losslessNumberTags(kept as Tags);
}

function yamlMapping(text: string, where: string): Parameters {
  const doc = parseDocument(text, { version: '1.1', customTags: pyyamlTags });
  if (doc.errors[0]) throw new ConfigBuilderError('parameters', `${where} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const value = doc.toJS({ maxAliasCount: 10_000 }) as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigBuilderError('parameters', `${where} must hold a mapping of parameter names to values`);
  checkJson(value, where, '');
  return value as Parameters;
}

function checkJson(v: unknown, where: string, path: string): void {
  if ((typeof v === 'number' && !Number.isFinite(v)) || v instanceof Date || v instanceof Map || v instanceof Set || v instanceof Uint8Array || typeof v === 'bigint') {
    throw new ConfigBuilderError('parameters', `${where}: ${path || 'a value'} is not a value JSON can hold`);
  }
  if (Array.isArray(v)) v.forEach((x, i) => checkJson(x, where, `${path}[${i}]`));
  else if (v !== null && typeof v === 'object' && !isLosslessNumber(v)) for (const [k, x] of Object.entries(v)) checkJson(x, where, path ? `${path}.${k}` : k);
}

function isMapping(v: unknown): v is { [key: string]: ExactJSON } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v);
}

/**
 * The plan with the parameters applied: the one config of a plan without a builder becomes
 * them; every config of a builder gets them added (overriding its own values). The kernel
 * applies the same to what it rebuilds (`__CONFIG_PARAMETERS__`, see configEnv).
 */
export function withParameters(plan: ConfigPlan, params: Parameters): ConfigPlan {
  const py = translatorFor('python');
  const configs = plan.configs.map((c): PlannedConfig => {
    const own = plan.kind === 'none' ? {} : (c.exact ?? c.json);
    if (!isMapping(own)) {
      throw new ConfigBuilderError('parameters', `-p/-r/-f/-y add values to every config, but config ${c.index} is not a mapping (${c.repr.slice(0, 60)})`);
    }
    const exact: Parameters = { ...own, ...params };
    const json = toPlain(exact) as JSONValue;
    const sources = c.pythonSources?.filter(([name]) => !(name in params));
    const { exact: _old, ...rest } = c;
    return {
      ...rest,
      json,
      ...(hasExactNumbers(exact) ? { exact } : {}),
      params: flattenParams(json),
      repr: plan.kind === 'python' ? `${c.repr}\nwith ${stringifyExact(params)}` : yamlStringify(exact, exactYamlNumber).trimEnd(),
      ...(sources ? { pythonSources: [...sources, ...Object.entries(params).map(([k, v]): [string, string, boolean] => [k, py.literal(v), true])] } : {}),
    };
  });
  const seen = new Map<string, number>();
  for (const c of configs) {
    const key = canonicalJson(c.json);
    const first = seen.get(key);
    if (first !== undefined) throw new ConfigBuilderError('parameters', `configs ${first} and ${c.index} are the same once the -p/-r/-f/-y values are applied (they set ${Object.keys(params).join(', ')})`);
    seen.set(key, c.index);
  }
  // A Python builder's names may come from its objects (`_name` attributes): they stay.
  if (plan.kind === 'python') return { ...plan, parameters: params, configs };
  const names = runNames(configs.map((c) => ({ index: c.index, params: c.params, nameHint: isMapping(c.json) && typeof c.json._name === 'string' ? c.json._name : null })));
  return { ...plan, parameters: params, configs: configs.map((c, i) => ({ ...c, name: names[i]! })) };
}

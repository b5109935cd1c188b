// One entry point from a --config_builder value to a ConfigPlan, and the per-run
// contract with the kernel (environment variables and config.json).
import { resolve } from 'node:path';
import { builderKind } from './builder.js';
import { ConfigBuilderError } from './errors.js';
import { planFromPythonOutput, pythonPlanCode } from './python.js';
import { planFromSweepFile } from './sweepFile.js';
import { withParameters, type Parameters } from './parameters.js';
import { stringifyExact, type ExactJSON } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';
import { flattenParams } from './names.js';
import type { ConfigFile, ConfigPlan, PlannedConfig } from './types.js';

export interface BuildPlanOptions {
  /** The notebook's folder: where the kernel resolves builder names (`__CONFIG_BUILDER_DIR__`). */
  builderDir: string;
  /** --title: sweep files only. */
  title?: string | string[];
  /** Base of a relative sweep-file path (default: process.cwd()). */
  cwd?: string;
  /** Runs Python code in a kernel of the notebook's language (cwd: the notebook's folder)
   *  and resolves with all its stdout text. Needed for Python builders only. If the code
   *  raises, reject (builderErrorFromKernel makes a fitting error). */
  runPython?: (code: string) => Promise<string>;
  /** -p/-r/-f/-y: the one config without a builder, else added to every config. */
  parameters?: Parameters;
}

/** The plan for no builder: one run, config index 0, get_config_from_env() returns None. */
export function noBuilderPlan(): ConfigPlan {
  return { builder: '', kind: 'none', configs: [{ index: 0, json: null, repr: 'None', name: 'config_0', params: {} }] };
}

/** Make the plan of a builder: a sweep file is read here; a Python expression is
 *  evaluated through `runPython`. Throws ConfigBuilderError. */
export async function buildPlan(builder: string | undefined, opts: BuildPlanOptions): Promise<ConfigPlan> {
  const plan = await planOf(builder, opts);
  return opts.parameters ? withParameters(plan, opts.parameters) : plan;
}

async function planOf(builder: string | undefined, opts: BuildPlanOptions): Promise<ConfigPlan> {
  const kind = builderKind(builder);
  const hasTitle = opts.title !== undefined && ([] as string[]).concat(opts.title).length > 0;
  if (kind !== 'sweep-file' && hasTitle) {
    throw new ConfigBuilderError('sweep-file', '--title selects groups of a sweep file (.yaml, .yml, .json), but the builder is not one');
  }
  if (kind === 'none') return noBuilderPlan();
  const b = builder!.trim();
  if (kind === 'sweep-file') {
    // The resolved path: the same file run from another folder keeps its fingerprints.
    const path = resolve(opts.cwd ?? process.cwd(), b);
    const plan = await planFromSweepFile(path, { title: opts.title });
    return { ...plan, builder: path };
  }
  if (!opts.runPython) throw new Error('buildPlan: a Python builder needs options.runPython');
  const out = await opts.runPython(pythonPlanCode(b, opts.builderDir));
  return planFromPythonOutput(out, b);
}

/** The planned config with this index, if the plan holds it. */
export function configAt(plan: ConfigPlan, index: number): PlannedConfig | undefined {
  return plan.configs.find((c) => c.index === index);
}

/** What the runner writes to `result_<idx>/config.json` (the helper reads it back). */
export function configFileContent(c: PlannedConfig): ConfigFile {
  return { index: c.index, name: c.name, json: c.json, repr: c.repr };
}

/** The config's JSON form with exact numbers (`1.0`, every digit of a big int). */
export function exactJsonOf(c: PlannedConfig): ExactJSON | null {
  return c.exact ?? c.json;
}

/** The flattened parameters with exact numbers (LosslessNumbers where `params` would lose them). */
export function exactParamsOf(c: PlannedConfig): Record<string, JSONValue> {
  return c.exact ? flattenParams(c.exact as JSONValue) : c.params;
}

/** The text of `result_<idx>/config.json`, numbers exact, so the kernel's `json.load`
 *  gives back the builder's floats and ints. */
export function configFileText(c: PlannedConfig, indent?: number): string {
  return stringifyExact({ ...configFileContent(c), json: exactJsonOf(c) }, indent);
}

/** What the runner writes to `result_<idx>/config.txt`. */
export function configTextContent(c: PlannedConfig): string {
  return c.repr.endsWith('\n') ? c.repr : `${c.repr}\n`;
}

/** Inline copies of config.json bigger than this are left out of the environment. */
const MAX_INLINE = 64 * 1024;

export interface ConfigEnvOptions {
  /** The sweep's destination dir, as the kernel sees it. */
  dstDir: string;
  /** Path of this run's config.json, as the kernel sees it. */
  configPath: string;
  /** The notebook's folder, as the kernel sees it. */
  builderDir: string;
  /** Also pass config.json's content in `__NOTEBOOK_CONFIG_JSON__` (default true), so a kernel
   *  that cannot read the runner's files (a remote server) still gets its config. */
  inline?: boolean;
}

/** The environment variables of one run's kernel. Empty for a plan of kind 'none'. */
export function configEnv(plan: ConfigPlan, c: PlannedConfig, opts: ConfigEnvOptions): Record<string, string> {
  // Without a builder there is no config (get_config_from_env() is None), but the run
  // still has a result folder for get_result_dir().
  const parameters: Record<string, string> = plan.parameters ? { __CONFIG_PARAMETERS__: stringifyExact(plan.parameters) } : {};
  if (plan.kind === 'none') return { __CONFIG_IDX__: String(c.index), __CONFIG_DST_DIR__: opts.dstDir, __NOTEBOOK_CONFIG_PATH__: opts.configPath, ...parameters };
  const env: Record<string, string> = {
    ...parameters,
    __CONFIG_BUILDER__: plan.builder,
    __CONFIG_IDX__: String(c.index),
    __CONFIG_DST_DIR__: opts.dstDir,
    __NOTEBOOK_CONFIG_PATH__: opts.configPath,
    __CONFIG_BUILDER_DIR__: opts.builderDir,
  };
  if (opts.inline ?? true) {
    const text = configFileText(c);
    if (text.length <= MAX_INLINE) env.__NOTEBOOK_CONFIG_JSON__ = text;
  }
  return env;
}

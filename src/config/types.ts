// The config plan: every config a builder yields, with a stable index, before any
// selection. The sweep runs a subset of it (see select.ts) and never renumbers.
import type { ExactJSON, PythonSources } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';

export type { JSONValue };

/** 'python': a Python call expression evaluated in a kernel; 'sweep-file': a .yaml/.yml/.json
 *  sweep file; 'none': no builder, the notebook runs once and get_config_from_env() is None. */
export type BuilderKind = 'python' | 'sweep-file' | 'none';

export interface PlannedConfig {
  /** Position in the builder's full list (for a sweep file: in the whole file, all groups). */
  index: number;
  /** The JSON form (dicts, dataclasses, objects with to_dict()); null when there is none. */
  json: JSONValue | null;
  /** The JSON form with exact numbers, when `json` (JS numbers) loses any: an integral
   *  float (`1.0`) or an integer beyond 2^53 is a LosslessNumber here. Written with
   *  stringifyExact wherever the config is stored (config.json, the summary). */
  exact?: ExactJSON;
  /** Python builders, configs that are mappings or dataclasses: the Python source of each
   *  top-level value for the injected-parameters cell (a literal, or a helper expression for
   *  a value without one, such as a lambda). */
  pythonSources?: PythonSources;
  /** Human-readable repr (Python's pprint layout for Python builders). */
  repr: string;
  /** A readable run name, e.g. `lr=0.1,seed=3`, unique within the plan. */
  name: string;
  /** Every leaf of the JSON form, nested keys joined with dots (`model.depth`). Arrays are
   *  leaves. Empty when there is no JSON form. One summary column per key. */
  params: Record<string, JSONValue>;
  /** The `_title` of the sweep-file group this config comes from. */
  title?: string;
}

export interface ConfigPlan {
  /** The builder as the user gave it (expression or sweep-file path); '' for kind 'none'. */
  builder: string;
  kind: BuilderKind;
  /** Ascending by index. With --title only the selected groups' configs are here, each
   *  keeping its index in the whole file: do not assume configs[i].index === i. */
  configs: PlannedConfig[];
  /** The --title the plan was made with (several joined by ','). */
  title?: string;
  /** -p/-r/-f/-y (config/parameters.ts): already in every config here; the kernel adds them to what it rebuilds. */
  parameters?: { [name: string]: ExactJSON };
}

export interface SelectOptions {
  /** Run only this config. Cannot be combined with the others. */
  index?: number;
  /** Run configs with index >= this (applied after sampling, so a sample can be resumed). */
  startFromIndex?: number;
  /** A deterministic random subset of this many configs. */
  sample?: number;
  /** Seed of the sample (default 0). Same plan + seed + N = same subset, on any machine;
   *  a bigger N gives a superset. */
  seed?: number;
}

/** The content of `result_<idx>/config.json`, as read by the kernel-side helper. */
export interface ConfigFile {
  index: number;
  name: string;
  json: JSONValue | null;
  repr: string;
}

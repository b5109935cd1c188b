// The Python side of planning: code the engine runs in a kernel, and its output parsed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigBuilderError, type ConfigBuilderErrorKind } from './errors.js';
import { flattenParams, runNames } from './names.js';
import { hasExactNumbers, parseExact, toPlain, type ExactJSON, type PythonSources } from '../notebook/index.js';
import type { JSONValue } from '../notebook/types.js';
import type { ConfigPlan, PlannedConfig } from './types.js';

/** The one stdout line the plan code prints: `RUN_NOTEBOOK_PLAN <json>`. */
export const PLAN_PREFIX = 'RUN_NOTEBOOK_PLAN ';

/** The MIME type of `run_notebook.record(name, value)` display data (`{"name", "value"}`),
 *  defined where the engine takes these outputs out of the notebook. */
export { RECORD_MIME } from '../notebook/outputs.js';

/** Path of the kernel-side helper's source, found upward from this file (src/ or dist/). */
export function helperSourcePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'python', 'run_notebook', '__init__.py');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('python/run_notebook/__init__.py was not found above ' + fileURLToPath(import.meta.url));
}

/** The helper's source text, to define `run_notebook` inside a kernel. */
export function helperSource(): string {
  return readFileSync(helperSourcePath(), 'utf8');
}

/** Python code that evaluates the builder and prints exactly one line
 *  `RUN_NOTEBOOK_PLAN <json>` on stdout (the builder's own prints may come before it).
 *  It expects the `run_notebook` helper module to be defined already (the engine's
 *  preamble does it). Builder failures are reported inside the JSON, not raised; the code
 *  raises only if the helper is missing. Collect all stdout stream text of the execution
 *  (a long line may arrive in several stream messages) and pass it to planFromPythonOutput. */
export function pythonPlanCode(expr: string, builderDir: string): string {
  return [
    'import run_notebook as __run_notebook_plan',
    `__run_notebook_plan._print_plan(${pyString(expr)}, ${pyString(builderDir)})`,
    'del __run_notebook_plan',
  ].join('\n');
}

/** A JSON string literal is a valid Python str literal (same escapes). */
function pyString(s: string): string {
  return JSON.stringify(s);
}

interface RawPlan {
  configs?: Array<{ json: ExactJSON | null; repr: string; name_hint?: string | null; py_params?: PythonSources | null }>;
  error?: { kind: string; message: string; detail?: string | null };
}

const KNOWN_KINDS: ConfigBuilderErrorKind[] = ['syntax', 'raised', 'empty', 'not-a-list', 'duplicates'];

/** Turn the plan code's stdout (or just its JSON) into a ConfigPlan, or throw the
 *  builder's ConfigBuilderError (detail: the Python traceback). */
export function planFromPythonOutput(text: string, builder = ''): ConfigPlan {
  const line = text
    .split(/\r?\n/)
    .filter((l) => l.startsWith(PLAN_PREFIX))
    .at(-1);
  const jsonText = line !== undefined ? line.slice(PLAN_PREFIX.length) : text.trim();
  let raw: RawPlan;
  try {
    // Lossless: the builder's 1.0 stays a float and 2**53 + 1 keeps its last digit.
    raw = parseExact(jsonText) as unknown as RawPlan;
  } catch (err) {
    throw new ConfigBuilderError('output', `config builder "${builder}": the kernel printed no plan`, {
      detail: text.slice(-4000),
      cause: err,
    });
  }
  if (raw && typeof raw === 'object' && raw.error) {
    const kind = (KNOWN_KINDS as string[]).includes(raw.error.kind) ? (raw.error.kind as ConfigBuilderErrorKind) : 'raised';
    throw new ConfigBuilderError(kind, raw.error.message, { detail: raw.error.detail ?? undefined });
  }
  if (!raw || !Array.isArray(raw.configs) || raw.configs.some((c) => !c || typeof c.repr !== 'string')) {
    throw new ConfigBuilderError('output', `config builder "${builder}": the kernel printed a malformed plan`, {
      detail: jsonText.slice(0, 4000),
    });
  }
  const configs = raw.configs;
  const plain = configs.map((c) => (c.json === null || c.json === undefined ? null : toPlain(c.json)));
  const params = plain.map((json) => flattenParams(json));
  const names = runNames(configs.map((c, index) => ({ index, params: params[index]!, nameHint: c.name_hint })));
  const planned: PlannedConfig[] = configs.map((c, index) => ({
    index,
    json: plain[index]!,
    ...(hasExactNumbers(c.json) ? { exact: c.json! } : {}),
    ...(Array.isArray(c.py_params) ? { pythonSources: c.py_params } : {}),
    repr: c.repr,
    name: names[index]!,
    params: params[index]!,
  }));
  return { builder, kind: 'python', configs: planned };
}

/** A ConfigBuilderError for when the plan code itself raised in the kernel (for example
 *  the helper module was not defined). ANSI colors are stripped from the traceback. */
export function builderErrorFromKernel(builder: string, ename: string, evalue: string, traceback: string[] = []): ConfigBuilderError {
  // eslint-disable-next-line no-control-regex
  const clean = traceback.join('\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return new ConfigBuilderError('kernel', `config builder "${builder}": planning failed in the kernel with ${ename}: ${evalue}`, {
    detail: clean || undefined,
  });
}

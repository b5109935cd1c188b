// Code run silently in every kernel before the first cell. Stock jupyter_server
// ignores `env` in kernel start requests, so on a server the runner does not own this
// is how per-run variables reach the kernel (os.environ also feeds subprocesses).
// For Python it also defines the `run_notebook` helper module from its source text,
// so `from run_notebook import get_config_from_env` works with nothing installed.
// (R and Julia writers ignore PreambleOptions: the helper is Python's.)
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPER_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python', 'run_notebook', '__init__.py');
let helperSource: string | undefined;

function pythonHelperSource(): string {
  helperSource ??= readFileSync(HELPER_PATH, 'utf8');
  return helperSource;
}

/** Where the kernel can read the run_notebook helper from, when it shares the runner's files (the embedded server). */
export const PYTHON_HELPER_FILE = HELPER_PATH;

export interface PreambleOptions {
  /** The helper's file, readable by the kernel: sent as a path instead of 34 KB of source text. */
  helperFile?: string;
}

type PreambleWriter = (env: Record<string, string>, cwd: string | undefined, o: PreambleOptions) => string;

const json = (v: unknown) => JSON.stringify(v);

// Sent inline, the helper's source costs every kernel ~20 ms CPU before the first cell
// (ipykernel hashes each cell's text in pure Python, IPython transforms it, then it is
// compiled). A local kernel reads the file instead, and a warm fork finds the module
// already made by its template, marked with the file it came from (python/warm/template.py).
function pythonHelper(o: PreambleOptions): string[] {
  const make = (pad: string, source: string) =>
    [
      "m = types.ModuleType('run_notebook')",
      "m.__file__ = '<run_notebook>'",
      `exec(compile(${source}, '<run_notebook>', 'exec'), m.__dict__)`,
      "sys.modules['run_notebook'] = m",
    ].map((line) => pad + line);
  if (!o.helperFile) return make('    ', json(pythonHelperSource()));
  return [
    `    if getattr(sys.modules.get('run_notebook'), '__run_notebook_helper__', None) != ${json(o.helperFile)}:`,
    `        with open(${json(o.helperFile)}, encoding='utf8') as f:`,
    '            source = f.read()',
    ...make('        ', 'source'),
  ];
}

const writers: Record<string, PreambleWriter> = {
  python: (env, cwd, o) =>
    [
      'def __run_notebook_setup():',
      '    import os, sys, types',
      `    os.environ.update(${json(env)})`,
      cwd ? `    os.chdir(${json(cwd)})` : '',
      ...pythonHelper(o),
      '__run_notebook_setup()',
      'del __run_notebook_setup',
    ]
      .filter(Boolean)
      .join('\n'),
  // R's jsonlite-free form: Sys.setenv takes named character arguments.
  r: (env, cwd) =>
    [
      Object.keys(env).length
        ? `Sys.setenv(${Object.entries(env)
            .map(([k, v]) => `${json(k)} = ${json(v)}`)
            .join(', ')})`
        : '',
      cwd ? `setwd(${json(cwd)})` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  julia: (env, cwd) =>
    [...Object.entries(env).map(([k, v]) => `ENV[${json(k)}] = ${json(v)}`), cwd ? `cd(${json(cwd)})` : '']
      .filter(Boolean)
      .join('\n') + '\nnothing',
};

/** The setup code for a kernel language, or undefined when the language has no entry. */
export function preambleFor(language: string, env: Record<string, string>, cwd?: string, o: PreambleOptions = {}): string | undefined {
  const w = writers[language.toLowerCase()];
  return w?.(env, cwd, o);
}

/** Expression (evaluated via user_expressions) giving the kernel's pid, per language. */
export function pidExpression(language: string): string | undefined {
  return ({ python: '__import__("os").getpid()', r: 'Sys.getpid()', julia: 'getpid()' } as Record<string, string>)[language.toLowerCase()];
}

/** Expression giving the kernel's interpreter (shown in run.json), per language. */
export function executableExpression(language: string): string | undefined {
  return ({ python: '__import__("sys").executable' } as Record<string, string>)[language.toLowerCase()];
}

/** The text of a Python str repr ('...' or "..."), as user_expressions return it. */
export function parseReprString(text: string): string {
  const t = text.trim();
  const q = t[0];
  if ((q === "'" || q === '"') && t.endsWith(q) && t.length >= 2) {
    return t.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  return t;
}

// Code run silently in every kernel before the first cell. Stock jupyter_server
// ignores `env` in kernel start requests, so on a server the runner does not own this
// is how per-run variables reach the kernel (os.environ also feeds subprocesses).
// For Python it also defines the `run_notebook` helper module from its source text,
// so `from run_notebook import get_config_from_env` works with nothing installed.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPER_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python', 'run_notebook', '__init__.py');
let helperSource: string | undefined;

function pythonHelperSource(): string {
  helperSource ??= readFileSync(HELPER_PATH, 'utf8');
  return helperSource;
}

type PreambleWriter = (env: Record<string, string>, cwd: string | undefined) => string;

const json = (v: unknown) => JSON.stringify(v);

const writers: Record<string, PreambleWriter> = {
  python: (env, cwd) =>
    [
      'def __run_notebook_setup():',
      '    import os, sys, types',
      `    os.environ.update(${json(env)})`,
      cwd ? `    os.chdir(${json(cwd)})` : '',
      "    m = types.ModuleType('run_notebook')",
      "    m.__file__ = '<run_notebook>'",
      `    exec(compile(${json(pythonHelperSource())}, '<run_notebook>', 'exec'), m.__dict__)`,
      "    sys.modules['run_notebook'] = m",
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
export function preambleFor(language: string, env: Record<string, string>, cwd?: string): string | undefined {
  const w = writers[language.toLowerCase()];
  return w?.(env, cwd);
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

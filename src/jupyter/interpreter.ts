// Which Python runs the kernel (and a Python config builder): the user's environment,
// not the project's. In order: --python / RUN_NOTEBOOK_PYTHON, the activated environment
// ($VIRTUAL_ENV, then $CONDA_PREFIX), python3 on PATH when it has ipykernel, and last the
// project's own .venv (saying why). A named or activated environment without ipykernel is
// an error, never a silent fallback. The embedded server may still come from .venv: only
// the kernel's argv[0] changes (src/jupyter/kernelSession.ts writes it into the run's
// private kernelspec).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { KernelSpec } from './kernelspecs.js';
import type { JupyterServer } from './server.js';

export type InterpreterSource = '--python' | 'RUN_NOTEBOOK_PYTHON' | 'VIRTUAL_ENV' | 'CONDA_PREFIX' | 'PATH' | 'project .venv' | 'server';

export interface Interpreter {
  /** The python executable kernels are started with (its sys.executable); undefined: the server's own. */
  path?: string;
  source: InterpreterSource;
  /** Why this one, as a phrase for the console ("activated: $VIRTUAL_ENV"). */
  why: string;
  /** "3.11.7" */
  version?: string;
  /** ipykernel's version in that interpreter. */
  ipykernel?: string;
}

export interface ResolveInterpreterOptions {
  /** --python */
  python?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The folder holding the project's .venv (default: this package's root). */
  projectRoot?: string;
  timeoutMs?: number;
}

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Prints one JSON line: sys.executable, the version and ipykernel's version (null if it cannot be imported). */
const PROBE_PY = [
  'import sys, json, importlib.util as u',
  'v = None',
  'if u.find_spec("ipykernel") is not None and u.find_spec("ipykernel_launcher") is not None:',
  '    try:',
  '        from importlib.metadata import version',
  '        v = version("ipykernel")',
  '    except Exception:',
  '        v = "unknown"',
  'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "ipykernel": v}))',
].join('\n');

interface Probe {
  executable: string;
  version: string;
  ipykernel: string | null;
}

/** Runs the probe; undefined (with the reason) when `python` is not a working Python. */
function probe(python: string, timeoutMs: number): Promise<Probe | { failed: string }> {
  return new Promise((res) => {
    execFile(python, ['-c', PROBE_PY], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        const why = e.code === 'ENOENT' ? 'not found' : e.killed ? `no answer within ${timeoutMs / 1000}s` : (stderr.trim().split('\n').at(-1) ?? e.message);
        return res({ failed: why });
      }
      try {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        res(JSON.parse(line) as Probe);
      } catch {
        res({ failed: 'it did not answer like a Python 3 interpreter' });
      }
    });
  });
}

/** The interpreter kernels should run in, or a UsageError (exit 2) naming it and the fix. */
export async function resolveInterpreter(opts: ResolveInterpreterOptions = {}): Promise<Interpreter> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const root = opts.projectRoot ?? PROJECT_ROOT;

  const named: { path: string; source: InterpreterSource; label: string; why: string } | undefined = opts.python
    ? { path: opts.python, source: '--python', label: `--python ${opts.python}`, why: '--python' }
    : env.RUN_NOTEBOOK_PYTHON
      ? { path: env.RUN_NOTEBOOK_PYTHON, source: 'RUN_NOTEBOOK_PYTHON', label: `RUN_NOTEBOOK_PYTHON=${env.RUN_NOTEBOOK_PYTHON}`, why: 'RUN_NOTEBOOK_PYTHON' }
      : env.VIRTUAL_ENV
        ? { path: join(env.VIRTUAL_ENV, 'bin', 'python'), source: 'VIRTUAL_ENV', label: `the activated environment $VIRTUAL_ENV (${env.VIRTUAL_ENV})`, why: 'activated: $VIRTUAL_ENV' }
        : env.CONDA_PREFIX
          ? { path: join(env.CONDA_PREFIX, 'bin', 'python'), source: 'CONDA_PREFIX', label: `the activated conda environment $CONDA_PREFIX (${env.CONDA_PREFIX})`, why: 'activated: $CONDA_PREFIX' }
          : undefined;

  if (named) {
    const path = isAbsolute(named.path) || !named.path.includes('/') ? named.path : resolve(named.path);
    const p = await probe(path, timeoutMs);
    if ('failed' in p) {
      throw new UsageError(
        p.failed === 'not found'
          ? `${named.label}: ${path} not found`
          : `${named.label}: ${path} is not a working Python interpreter (${p.failed})`,
      );
    }
    if (!p.ipykernel) throw noIpykernel(named.label, path);
    return { path: p.executable || path, source: named.source, why: named.why, version: p.version, ipykernel: p.ipykernel };
  }

  // Nothing named or activated: python3 on PATH if it can run a kernel, else the project's .venv.
  let why: string;
  const onPath = findOnPath('python3', env.PATH);
  if (onPath) {
    const p = await probe(onPath, timeoutMs);
    if (!('failed' in p) && p.ipykernel) return { path: p.executable || onPath, source: 'PATH', why: 'python3 on PATH', version: p.version, ipykernel: p.ipykernel };
    why = 'failed' in p ? `python3 on PATH (${onPath}) does not run: ${p.failed}` : `python3 on PATH (${'executable' in p && p.executable ? p.executable : onPath}) has no ipykernel`;
  } else {
    why = 'no python3 on PATH';
  }
  const venvPython = join(root, '.venv', 'bin', 'python');
  if (existsSync(venvPython)) {
    const p = await probe(venvPython, timeoutMs);
    if (!('failed' in p) && p.ipykernel) return { path: p.executable || venvPython, source: 'project .venv', why: `the project's .venv, since ${why}`, version: p.version, ipykernel: p.ipykernel };
  }
  return { source: 'server', why: `the Jupyter server's own interpreter, since ${why}` };
}

function noIpykernel(label: string, python: string): UsageError {
  return new UsageError(`${label}: ${python} cannot import ipykernel; install it with \`${python} -m pip install ipykernel\` (or choose another interpreter with --python)`);
}

function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * A kernelspec whose argv[0] is a bare `python` runs in the server's own interpreter
 * (jupyter_client swaps in its sys.executable): that is the one the runner points at the
 * resolved interpreter. A kernel registered with an absolute path (`ipykernel install
 * --name`) or in another language keeps its own.
 */
export function followsServerInterpreter(spec: Pick<KernelSpec, 'argv' | 'language'>): boolean {
  const argv0 = spec.argv?.[0] ?? '';
  return spec.language?.toLowerCase() === 'python' && /^python(\d+(\.\d+)?)?$/.test(argv0);
}

/** The spec's argv with the interpreter in place of a bare `python` (unchanged otherwise). */
export function argvFor(spec: Pick<KernelSpec, 'argv' | 'language'>, interpreter: string | undefined): string[] {
  if (!interpreter || !followsServerInterpreter(spec)) return [...spec.argv];
  return [interpreter, ...spec.argv.slice(1)];
}

/** One phrase for the console, sweep.json and HTML: which kernel runs in which interpreter, and why. */
export function describeKernelInterpreter(kernel: string, interp: Interpreter | undefined, spec: Pick<KernelSpec, 'argv' | 'language'> | undefined, serverLabel?: string): string {
  if (interp?.path) return `kernel ${kernel} runs Python ${interp.version ?? ''} ${interp.path} (${interp.why})`.replace(/ {2,}/g, ' ');
  if (interp?.source === 'server' && serverLabel) return `kernel ${kernel} on ${serverLabel} (${interp.why})`;
  if (spec && !followsServerInterpreter(spec)) return `kernel ${kernel} runs ${spec.argv?.[0] ?? '?'} (its own kernelspec)`;
  return `kernel ${kernel}${interp ? ` (${interp.why})` : ''}`;
}

/**
 * The interpreter for this sweep's kernel on this server, or undefined when the kernel
 * names its own (a registered kernel, another language). `resolving` is
 * resolveInterpreter()'s promise, started early; its UsageError surfaces only when the
 * kernel would use it. --python with a kernel it cannot apply to is an error.
 */
export async function chooseKernelInterpreter(server: JupyterServer, spec: KernelSpec, python: string | undefined, resolving: () => Promise<Interpreter>): Promise<Interpreter | undefined> {
  if (!server.kernelspecDir) {
    if (python) throw new UsageError(`--python needs the embedded server: the kernels of ${server.label} run that server's own interpreters`);
    return { source: 'server', why: "a remote server's kernels run its own interpreters" };
  }
  if (!followsServerInterpreter(spec)) {
    if (python) throw new UsageError(`--python applies to a Python kernel whose kernelspec runs "python" (like python3), but kernel "${spec.name}" runs ${spec.argv?.[0] ?? 'something else'}`);
    return undefined;
  }
  return resolving();
}

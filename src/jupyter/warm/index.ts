// --warm: each run's kernel is a fork of one template process that has imported
// ipykernel and the notebook's modules (template.ts). Anything that keeps a sweep from
// going warm is one line and a cold sweep, never an error.
import { existsSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { argvFor } from '../interpreter.js';
import { PYTHON_HELPER_FILE } from '../preamble.js';
import type { KernelSpec } from '../kernelspecs.js';
import type { OwnedProcesses } from '../processes.js';
import type { JupyterServer } from '../server.js';
import { WarmTemplate, WarmUnavailable } from './template.js';


export { WarmTemplate, WarmPrefixFailed, type PrefixResult } from './template.js';

export interface WarmOptions {
  server: JupyterServer;
  spec: KernelSpec;
  /** The kernel's interpreter as the sweep resolved it (--python, the activated env...): what a bare `python` in the spec becomes. */
  interpreter?: string;
  /** The kernels' working directory (the template imports from there too). */
  cwd: string;
  /** Modules to pre-import; undefined = the top-level imports of `codeCells`. */
  imports?: string[];
  codeCells: string[];
  /** --warm_prefix: code run once in the template, after the imports. */
  prefix?: readonly string[];
  /** Run-independent variables the template (and so the prefix) sees. */
  env?: Record<string, string>;
  timeoutSec?: number;
  /** One-line notices: why the sweep runs cold, or what was pre-imported (verbose). */
  onWarning: (message: string) => void;
  onLog?: (line: string) => void;
  processes?: OwnedProcesses;
}

/** The template for this sweep, or undefined (and one warning) when it cannot be used. */
export async function startWarm(o: WarmOptions): Promise<WarmTemplate | undefined> {
  try {
    if (!o.server.kernelspecDir) throw new WarmUnavailable('--warm needs the embedded server (kernels forked on this machine)');
    // The kernel's own argv, as its private kernelspec will have it: the template runs there.
    const plan = pythonKernelPlan({ ...o.spec, argv: argvFor(o.spec, o.interpreter) });
    const python = kernelArgvPython(plan.argv0, o.server);
    const t = await WarmTemplate.start({
      python,
      pythonOptions: plan.options,
      cwd: o.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...(o.spec.env ?? {}), JUPYTER_TOKEN: process.env.JUPYTER_TOKEN ?? '', ...(o.env ?? {}) },
      helper: PYTHON_HELPER_FILE,
      prefix: o.prefix ? { sources: o.prefix } : undefined,
      imports: o.imports ? { names: o.imports } : { scan: o.codeCells },
      timeoutMs: (o.timeoutSec ?? 60) * 1000,
      onLog: o.onLog,
      processes: o.processes,
    });
    return t;
  } catch (err) {
    if (!(err instanceof WarmUnavailable)) throw err;
    o.onWarning(`warm: ${err.message}; running kernels cold`);
    return undefined;
  }
}

/** The interpreter and its options for a kernelspec that runs `python [opts] -m ipykernel_launcher`. */
export function pythonKernelPlan(spec: Pick<KernelSpec, 'argv' | 'language' | 'name'>): { argv0: string; options: string[] } {
  const argv = spec.argv ?? [];
  if (spec.language.toLowerCase() !== 'python') throw new WarmUnavailable(`kernel "${spec.name}" is ${spec.language}, and only Python kernels fork`);
  const m = argv.indexOf('-m', 1);
  const module = m > 0 ? argv[m + 1] : undefined;
  if (!argv[0] || (module !== 'ipykernel_launcher' && module !== 'ipykernel')) {
    throw new WarmUnavailable(`kernel "${spec.name}" does not run ipykernel (argv: ${argv.slice(0, 4).join(' ')})`);
  }
  return { argv0: argv[0], options: argv.slice(1, m) };
}

/**
 * Where the kernelspec's argv[0] points. jupyter_client runs a bare "python", "python3"
 * or "python3.N" as the server's own interpreter; any other bare name comes from PATH.
 * The launcher checks that its interpreter is the template's and starts cold if not.
 */
export function kernelArgvPython(argv0: string, server: Pick<JupyterServer, 'python'>): string {
  if (isAbsolute(argv0)) return argv0;
  if (/^python(\d+(\.\d+)?)?$/.test(basename(argv0)) && server.python) return server.python;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, argv0))) return join(dir, argv0);
  }
  throw new WarmUnavailable(`cannot find the kernel's interpreter "${argv0}"`);
}

// The Python side of an experiment: code the runner executes in a kernel (the pre-flight
// check, one run) and the check's output parsed. The kernel module's source is
// python/run_notebook/experiment.py, defined in the kernel from its text, as the helper is.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { helperSourcePath } from '../config/index.js';
import { UsageError } from '../errors.js';

/** The one stdout line the check prints: `RUN_EXPERIMENT_CHECK <json>`. */
export const CHECK_PREFIX = 'RUN_EXPERIMENT_CHECK ';
/** The result name a non-mapping return value is recorded under (its repr). */
export const RETURN_KEY = 'return_value';

let source: string | undefined;
export function experimentModuleSource(): string {
  source ??= readFileSync(join(dirname(helperSourcePath()), 'experiment.py'), 'utf8');
  return source;
}

const py = (s: string) => JSON.stringify(s);

/** Defines `run_notebook.experiment` from its source (the preamble defined `run_notebook`). */
function defineModule(): string[] {
  return [
    'def __run_notebook_experiment():',
    '    import sys, types',
    "    m = types.ModuleType('run_notebook.experiment')",
    "    m.__file__ = '<run_notebook.experiment>'",
    `    exec(compile(${py(experimentModuleSource())}, '<run_notebook.experiment>', 'exec'), m.__dict__)`,
    "    sys.modules['run_notebook.experiment'] = m",
    '    return m',
  ];
}

/** The pre-flight check: prints one `RUN_EXPERIMENT_CHECK` line, never raises for the user's faults. */
export function experimentCheckCode(target: string, builder: string, builderDir: string): string {
  return [...defineModule(), `__run_notebook_experiment()._print_check(${py(target)}, ${py(builder)}, ${py(builderDir)})`, 'del __run_notebook_experiment'].join('\n');
}

/** The code of one run. Its one cell's frame is hidden from the traceback, as are the helper's. */
export function experimentRunCode(target: string, builderDir: string): string {
  return [...defineModule(), '__tracebackhide__ = True', `__run_notebook_experiment().run(${py(target)}, ${py(builderDir)})`].join('\n');
}

export interface ModuleDigest {
  name: string;
  file: string | null;
  sha256: string | null;
}

/** What the pre-flight check learnt in the kernel. */
export interface ExperimentInfo {
  target: string;
  /** The function's qualified name. */
  function: string;
  signature: string | null;
  /** The named module, then the module the function is defined in when that differs. */
  modules: ModuleDigest[];
  /** The modules a Python config builder names (and configs.py beside it, when used). */
  builder_modules: ModuleDigest[];
  /**
   * The user's other modules loaded by importing those: every module with a source file outside
   * the standard library and installed packages (site-packages, dist-packages), sorted by name.
   */
  local_modules?: ModuleDigest[];
}

interface RawCheck {
  ok?: ExperimentInfo;
  error?: { kind: string; message: string; detail?: string | null };
}

/** A problem with --experiment_builder: exit 2, one line (the module's traceback as detail). */
export class ExperimentBuilderError extends UsageError {
  constructor(
    readonly kind: string,
    message: string,
    detail?: string,
  ) {
    super(message, { detail });
  }
}

/** Turn the check's stdout into an ExperimentInfo, or throw its ExperimentBuilderError. */
export function infoFromCheckOutput(text: string, target: string): ExperimentInfo {
  const line = text
    .split(/\r?\n/)
    .filter((l) => l.startsWith(CHECK_PREFIX))
    .at(-1);
  let raw: RawCheck;
  try {
    raw = JSON.parse(line !== undefined ? line.slice(CHECK_PREFIX.length) : '') as RawCheck;
  } catch {
    throw new ExperimentBuilderError('output', `experiment builder "${target}": the kernel printed no check result`, text.slice(-4000) || undefined);
  }
  if (raw?.error) throw new ExperimentBuilderError(raw.error.kind, raw.error.message, raw.error.detail ?? undefined);
  if (!raw?.ok || !Array.isArray(raw.ok.modules)) throw new ExperimentBuilderError('output', `experiment builder "${target}": the kernel printed a malformed check result`);
  return raw.ok;
}

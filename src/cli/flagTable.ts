// THE FLAG TABLE: every flag of `run` (and `configs`) and `check`, defined once. Help text,
// parsing and the README's flag tables all follow it (test/unit/cli/flagTable.test.ts fails
// when the README misses a flag, or lists one the table does not define).
//
// Each table is typed against an options type: one entry per field. A field without an
// entry, an entry without a field, or a flag whose value type differs from the field's
// does not compile (vitest's CLIOptions<Config> works the same way).
//
//   ENGINE_FLAGS  FlagTable<EngineOptions>     src/sweep/options.ts  shared by run and check (and any
//                                                                    future command that runs notebooks)
//   RUN_FLAGS     FlagTable<SweepOptions>      src/sweep/options.ts  run and configs: its own + ENGINE_FLAGS
//   CHECK_FLAGS   FlagTable<CheckOptions>      src/checkRun/options.ts  check: its own + engine: group(ENGINE_FLAGS)
//
// Adding a flag is one options field and one entry:
//   1. add the field, e.g. `python?: string` to EngineOptions (both commands) or SweepOptions (run only);
//   2. `npx tsc` now fails here with "Property 'python' is missing"; add the entry, e.g.
//        python: string('python', 'Python interpreter the kernel runs in'),
//   3. add the flag to README's flag table; read the option where it is used.
//
// Entries (builders in ./flags.ts):
//   string(name, help) · number(name, help) · boolean(name, help)   the value straight from one flag
//   flag([specs...], (argv) => value)     a value from one or more flags, with validation (throw UsageError)
//   group(TABLE)                          a nested options object filled from another table
//   null                                  set by the command itself; name the field in FlagTable's 2nd argument
// Flag names are snake_case (the seed tool's); the kebab-case spelling works too (./argv.ts).
import { availableParallelism } from 'node:os';
import { loadSanitizers, selectCheckMode, type CompareOptions } from '../check/index.js';
import type { CheckOptions } from '../checkRun/index.js';
import { UsageError } from '../errors.js';
import { parseResources, type EngineOptions, type ExperimentOptions, type SweepOptions } from '../sweep/index.js';
import { readParameters } from '../config/index.js';
import { boolean, flag, group, num, number, optSeconds, str, string, strings, type ArgvValues, type FlagTable } from './flags.js';

export const ENGINE_FLAGS: FlagTable<EngineOptions> = {
  index: number('index', 'Only config I'),
  startFromIndex: number('start_from_index', 'Only configs I and later'),
  title: string('title', 'Sweep files: only the group with this _title'),
  sample: number('sample', 'A random subset of N configs (indices stay those of the full plan)'),
  seed: number('seed', 'Random seed for --sample', { default: 0 }),
  allowErrors: boolean('allow_errors', 'Keep executing after a cell error: the run still counts as a success (check: errors are then compared like outputs)'),
  // Strings, so a bad value is echoed as typed (yargs turns "abc" into NaN).
  cellTimeoutSec: seconds('cell_timeout', 'Seconds a cell may run before it is interrupted and the run (or check) fails (> 0; default: no limit)'),
  startTimeoutSec: seconds('start_timeout', 'Seconds a kernel (and the embedded server) may take to start', '60'),
  serverGraceSec: seconds(
    'server_grace',
    'Seconds a Jupyter server may stop answering (GET /api, a WebSocket stuck reconnecting) before its runs fail as "lost the Jupyter server"',
    '30',
  ),
  kernel: string('kernel', "Kernel name (default: the notebook's kernelspec, else the server default)"),
  python: string('python', "Python interpreter of a python3-style kernel and of a Python builder (also RUN_NOTEBOOK_PYTHON; default: $VIRTUAL_ENV, $CONDA_PREFIX, python3 on PATH with ipykernel, the project's .venv)"),
  cwd: string('cwd', "Kernel working directory (default: the notebook's folder; on a remote server, a path relative to its root)"),
  serverUrls: flag(
    [{ name: 'server_url', type: 'string', describe: 'Use this Jupyter server or gateway instead of starting one; repeat for several, each may end in ?token= (also JUPYTER_SERVER_URL, .env)' }],
    (a) => {
      const v = a.server_url;
      const list = (Array.isArray(v) ? v : [v]).map(str).filter((x): x is string => x !== undefined);
      return list.length ? list : undefined;
    },
  ),
  serversFile: string('servers', 'YAML/JSON file listing servers: name, url, token_env or token_file, slots, kind, env, resources, artifacts (see Servers and gateways)'),
  token: string('token', 'Token for --server_url (also JUPYTER_TOKEN, .env); never printed'),
  jupyterCommand: string('jupyter', 'Command that starts the embedded server (also RUN_NOTEBOOK_JUPYTER_SERVER; default: .venv, then PATH)'),
  verbose: boolean('verbose', 'Show the Jupyter server log and error stacks'),
};

/** A positive number of seconds, as a string flag so a bad value is echoed as the user typed it. */
function seconds(name: string, describe: string, dflt?: string) {
  return flag([{ name, type: 'string', describe, ...(dflt === undefined ? {} : { default: dflt }) }], (a) => optSeconds(a[name], name));
}

const CONFIG_BUILDER = string(
  'config_builder',
  'Python call expression returning a list of configs (e.g. "pkg.configs.build()"), or a sweep file (.yaml/.yml/.json); with check, every config is checked',
);

const NUM_THREADS = flag(
  [{ name: 'num_threads', type: 'string', describe: 'Runs at once: N, "serial", or -1 for all cores (default: number of cores); check: notebooks, or the configs of one sweep' }],
  (a) => parseThreads(a.num_threads),
);

export const RUN_FLAGS: FlagTable<SweepOptions, 'cellRules'> = {
  notebook: flag([{ name: 'notebook', type: 'string', required: true, describe: 'The notebook to run (or the first positional argument)' }], (a) => {
    const notebook = str(a.notebook) ?? str((a._ as unknown[] | undefined)?.[0]);
    if (!notebook) throw new UsageError('missing --notebook: the notebook to run');
    // papermill's `papermill IN.ipynb OUT.ipynb`: there is no one output notebook here.
    const extra = strings(a._).filter((x, i) => !(i === 0 && x === 'configs') && x !== notebook)[0];
    if (extra !== undefined) {
      throw new UsageError(`unexpected argument "${extra}": give one notebook; results go to --dst_dir DIR (each run's executed notebook is DIR/result_<idx>/<notebook>.ipynb), not to an output path as with papermill`);
    }
    return notebook;
  }),
  configBuilder: CONFIG_BUILDER,
  parameters: flag(
    [
      { name: 'parameters', alias: ['p'], type: 'string', nargs: 2, describe: 'papermill\'s -p NAME VALUE (repeatable): VALUE is True/False/None, an int, a float, else text; without a builder the one config, else added to every config' },
      { name: 'parameters_raw', alias: ['r'], type: 'string', nargs: 2, describe: 'papermill\'s -r NAME VALUE (repeatable): VALUE as text' },
      { name: 'parameters_file', alias: ['f'], type: 'string', describe: "papermill's -f FILE (repeatable): a YAML file of parameter names and values" },
      { name: 'parameters_yaml', alias: ['y'], type: 'string', describe: "papermill's -y YAML (repeatable): parameters as a YAML mapping" },
    ],
    (a) => readParameters({ values: strings(a.parameters), raw: strings(a.parameters_raw), files: strings(a.parameters_file), yaml: strings(a.parameters_yaml) }),
  ),
  dstDir: flag([{ name: 'dst_dir', type: 'string', required: true, describe: 'Where results go: <dst_dir>/result_<idx>/ (not needed with --dry_run)' }], (a) => {
    const dstDir = str(a.dst_dir);
    if (!dstDir && a.dry_run !== true) throw new UsageError('missing --dst_dir: where results go');
    return dstDir ?? '.';
  }),
  numThreads: NUM_THREADS,
  numThreadsGiven: flag([], (a) => a.num_threads !== undefined),
  numRetries: flag(
    [
      { name: 'num_retries', type: 'number', describe: 'Retry a failed run this many times, each in a fresh kernel', default: 0 },
      { name: 'num_attempts', type: 'number', describe: "The seed tool's spelling: total attempts (= num_retries + 1)" },
    ],
    (a) => {
      const attempts = a.num_attempts !== undefined;
      const retries = attempts ? num(a.num_attempts, 'num_attempts') - 1 : num(a.num_retries ?? 0, 'num_retries');
      if (!Number.isInteger(retries) || retries < 0) {
        throw new UsageError(attempts ? '--num_attempts must be a whole number, at least 1' : '--num_retries must be a whole number, 0 or more');
      }
      return retries;
    },
  ),
  incremental: boolean('incremental', 'Skip runs that succeeded and whose fingerprint (notebook, config, builder, kernel) still matches'),
  abortOnError: boolean('abort_on_error', 'Stop the sweep at the first failed run (after its retries)'),
  failFast: flag(
    [
      { name: 'fail_fast', type: 'boolean', default: true, hidden: true, describe: 'Start no new runs once the first 3 finished runs all failed with the same error at the same cell (sweeps of 4 or more)' },
      // `--no-fail-fast` is yargs' negation of --fail_fast; the snake_case spelling needs its own flag.
      { name: 'no_fail_fast', type: 'boolean', describe: 'Run every config even when the first 3 finished runs all failed with the same error at the same cell' },
    ],
    (a) => !(a.no_fail_fast === true || a.fail_fast === false),
  ),
  dryRun: boolean('dry_run', 'Print the plan (index, state, name) and run nothing: state is "run", or with --incremental new, done, stale, failed or cancelled'),
  html: flag(
    [
      { name: 'html', type: 'boolean', describe: 'Write <notebook>.html beside each executed notebook (--no_html to skip)', default: true },
      // `--no-html` is yargs' own negation of --html; the snake_case spelling needs its own flag.
      { name: 'no_html', type: 'boolean', describe: 'Skip the HTML rendering', hidden: true },
    ],
    (a) => !(a.no_html === true || a.html === false),
  ),
  trust: boolean('trust', 'Keep raw HTML and JavaScript in the HTML pages (trusted notebooks only)'),
  logOutput: boolean('log_output', 'Stream cell outputs to the console, prefixed by config index'),
  resources: flag(
    [{ name: 'resources', type: 'string', describe: 'Worker slots as CUDA_VISIBLE_DEVICES: "0,1" (one GPU per slot), "0,0,1,1" (two slots per GPU), "0,1;2,3" (two GPUs per slot)' }],
    (a) => (str(a.resources) ? parseResources(str(a.resources)!) : undefined),
  ),
  warm: boolean('warm', "Fork each run's kernel from a template that has imported ipykernel and the notebook's modules (embedded server, Linux)"),
  warmImports: flag(
    [{ name: 'warm_imports', type: 'string', describe: 'With --warm: the modules the template imports, "a,b,c", or "none" (default: the top-level imports of the code cells)' }],
    (a) => parseWarmImports(a),
  ),
  warmPrefix: boolean('warm_prefix', 'Implies --warm: run the code cells above the parameters cell once, in the template, and start every run from that state at its parameters'),
  remoteDir: string('remote_dir', "On a remote server: the kernel-side folder where runs write (get_result_dir()) before their files are copied back into result_<idx>/ (default: run-notebook-scratch/<sweep id> under the kernel's working directory)"),
  artifacts: flag(
    [{ name: 'artifacts', type: 'string', describe: 'On a remote server, how files a run writes come back: copy (contents API, else the kernel channel), kernel (always the kernel channel), none (shared storage: the kernel writes into --dst_dir)' }],
    (a) => parseArtifacts(str(a.artifacts)),
  ),
  cellRules: null,
  ...ENGINE_FLAGS,
};

function parseArtifacts(v: string | undefined): SweepOptions['artifacts'] {
  if (v === undefined) return undefined;
  if (v === 'copy' || v === 'kernel' || v === 'none') return v;
  throw new UsageError(`--artifacts must be copy, kernel or none, not "${v}"`);
}

/** --warm_imports: undefined (the notebook's own imports), [] for "none", or module names. */
function parseWarmImports(a: ArgvValues): string[] | undefined {
  const list = str(a.warm_imports);
  if (list === undefined) return undefined;
  if (a.warm !== true && a.warm_prefix !== true) throw new UsageError('--warm_imports needs --warm');
  if (list.trim().toLowerCase() === 'none') return [];
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  if (!names.length || names.some((n) => !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(n))) throw new UsageError(`--warm_imports takes module names separated by commas, or "none", not "${list}"`);
  return names;
}

// `experiment` (and the `run-experiment` bin): every run flag but --notebook and --allow_errors.
const { notebook: _notebook, cellRules: _cellRules, allowErrors: _allowErrors, configBuilder: _configBuilder, ...SWEEP_FLAGS_OF_EXPERIMENT } = RUN_FLAGS;

export const EXPERIMENT_FLAGS: FlagTable<ExperimentOptions> = {
  experimentBuilder: flag([{ name: 'experiment_builder', type: 'string', required: true, describe: 'The function to run per config, as MODULE.FUNCTION (e.g. "mypkg.experiments.run"); it gets the config as its one argument' }], (a) => {
    const target = str(a.experiment_builder);
    if (!target) throw new UsageError('missing --experiment_builder: the function to run per config, as MODULE.FUNCTION');
    return target;
  }),
  configBuilder: flag([{ name: 'config_builder', type: 'string', required: true, describe: 'Python call expression returning a list of configs (e.g. "pkg.configs.build()"), or a sweep file (.yaml/.yml/.json)' }], (a) => {
    const builder = str(a.config_builder);
    if (!builder) throw new UsageError('missing --config_builder: the configs to run the experiment with');
    return builder;
  }),
  ...SWEEP_FLAGS_OF_EXPERIMENT,
};

/** The flags given that only a notebook check uses (an experiment check refuses them). */
function notebookComparisonFlags(a: ArgvValues): string[] {
  const given: [string, boolean][] = [
    ['--lax', a.lax === true],
    ['--compare_images', a.compare_images === true],
    ['--sanitize_with', str(a.sanitize_with) !== undefined],
    ['--no_default_sanitizers', a.no_default_sanitizers === true || a.default_sanitizers === false],
    ['--allow_errors', a.allow_errors === true],
  ];
  return given.filter(([, on]) => on).map(([name]) => name);
}

/** Positional NOTEBOOK... plus any --notebook, each once. */
function checkNotebooks(a: ArgvValues): string[] {
  const positional = Array.isArray(a.notebooks) ? a.notebooks.map(String) : [];
  const named = str(a.notebook);
  return [...new Set([...positional, ...(named ? [named] : [])])];
}

export const CHECK_FLAGS: FlagTable<CheckOptions, 'color'> = {
  notebooks: flag([{ name: 'notebook', type: 'string', describe: 'A notebook to check (the one notebook of a sweep with --config_builder)' }], checkNotebooks),
  configBuilder: CONFIG_BUILDER,
  experimentBuilder: string('experiment_builder', 'Check a Python function (MODULE.FUNCTION) run once per config of --config_builder, instead of notebooks: --smoke, or its recorded results against --golden_dir'),
  mode: flag(
    [
      { name: 'smoke', type: 'boolean', default: false, describe: 'Only check that everything runs without an unexpected error (outputs are not compared)' },
      { name: 'update_golden', type: 'boolean', default: false, describe: '(Re)record the goldens in --golden_dir instead of comparing' },
    ],
    (a) =>
      selectCheckMode({
        notebooks: checkNotebooks(a),
        configBuilder: str(a.config_builder),
        smoke: a.smoke === true,
        goldenDir: str(a.golden_dir),
        updateGolden: a.update_golden === true,
        experimentBuilder: str(a.experiment_builder),
        notebookFlags: notebookComparisonFlags(a),
      }),
  ),
  goldenDir: string('golden_dir', 'Golden mode: compare each config with DIR/result_<idx>/<notebook>.ipynb'),
  junitXml: string('junit_xml', 'Also write a JUnit XML report to FILE'),
  compare: flag(
    [
      { name: 'compare_images', type: 'boolean', default: false, describe: 'Compare image/* outputs too' },
      { name: 'default_sanitizers', type: 'boolean', default: true, hidden: true, describe: 'Built-in sanitizers (memory addresses, timestamps, UUIDs, temp paths)' },
      // `--no-default-sanitizers` is yargs' negation of the flag above; the snake_case spelling needs its own flag.
      { name: 'no_default_sanitizers', type: 'boolean', describe: 'Turn off the built-in sanitizers (memory addresses, timestamps, UUIDs, temp paths)' },
      { name: 'sanitize_with', type: 'string', describe: "Extra sanitizers: nbval's INI format (regex:/replace:) or a YAML list of {regex, replace}" },
      { name: 'lax', type: 'boolean', default: false, describe: 'Compare only cells marked NBVAL_CHECK_OUTPUT / nbval-check-output' },
    ],
    (a): CompareOptions => {
      const sanitizeWith = str(a.sanitize_with);
      return {
        lax: a.lax === true,
        compareImages: a.compare_images === true,
        noDefaultSanitizers: a.no_default_sanitizers === true || a.default_sanitizers === false,
        sanitizers: sanitizeWith ? loadSanitizers(sanitizeWith) : undefined,
        // Declared by ENGINE_FLAGS (allowErrors): an allowed error is compared like an output.
        allowErrors: a.allow_errors === true,
      };
    },
  ),
  tolerance: flag(
    [
      { name: 'rtol', type: 'number', default: 0, describe: 'Golden mode: relative tolerance for recorded numbers, |got - expected| <= atol + rtol * |expected|' },
      { name: 'atol', type: 'number', default: 0, describe: 'Golden mode: absolute tolerance for recorded numbers' },
    ],
    (a) => {
      const rtol = num(a.rtol ?? 0, 'rtol');
      const atol = num(a.atol ?? 0, 'atol');
      if (!(rtol >= 0) || !(atol >= 0)) throw new UsageError(`--rtol and --atol must be numbers >= 0, got ${a.rtol ?? 0} and ${a.atol ?? 0}`);
      return { rtol, atol };
    },
  ),
  dstDir: string('dst_dir', 'Keep the executed notebooks here (default: a temporary folder, removed afterwards)'),
  numThreads: NUM_THREADS,
  engine: group(ENGINE_FLAGS),
  color: null,
};

export function parseThreads(v: unknown): number {
  const cores = availableParallelism();
  if (v === undefined || v === null || v === '') return cores;
  const s = String(v).trim().toLowerCase();
  if (s === 'serial') return 1;
  const n = Number(s);
  if (n === -1) return cores;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--num_threads must be a positive integer, "serial" or -1, not "${v}"`);
  return n;
}

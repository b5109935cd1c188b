// Flags of the default command (and `configs`), snake_case as in the seed tool, with
// kebab-case aliases. Turns them into SweepOptions; holds no other logic.
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { num, opt, optNum, str } from './flags.js';
import { UsageError } from '../errors.js';
import { parseResources, type SweepOptions } from '../sweep/index.js';

export function sweepFlags(y: Argv): Argv {
  let a = y;
  a = opt(a, 'notebook', { type: 'string', describe: 'The notebook to run', demandOption: false });
  a = opt(a, 'config_builder', { type: 'string', describe: 'Python call expression returning a list of configs (e.g. "pkg.configs.build()"), or a sweep file (.yaml/.yml/.json)' });
  a = opt(a, 'dst_dir', { type: 'string', describe: 'Where results go: <dst_dir>/result_<idx>/' });
  a = opt(a, 'num_threads', { type: 'string', describe: 'Runs at once: N, "serial", or -1 for all cores (default: number of cores)' });
  a = opt(a, 'num_retries', { type: 'number', describe: 'Retry a failed run this many times, each in a fresh kernel', default: 0 });
  a = opt(a, 'num_attempts', { type: 'number', describe: "The seed tool's spelling: total attempts (= num_retries + 1)" });
  a = opt(a, 'incremental', { type: 'boolean', describe: 'Skip runs that succeeded and whose fingerprint (notebook, config, builder, kernel) still matches', default: false });
  a = opt(a, 'abort_on_error', { type: 'boolean', describe: 'Stop the sweep at the first failed run (after its retries)', default: false });
  a = opt(a, 'index', { type: 'number', describe: 'Run only config I' });
  a = opt(a, 'start_from_index', { type: 'number', describe: 'Run configs I and later' });
  a = opt(a, 'title', { type: 'string', describe: 'Sweep files: run only the group with this _title' });
  a = opt(a, 'sample', { type: 'number', describe: 'Run a random subset of N configs (indices stay those of the full plan)' });
  a = opt(a, 'seed', { type: 'number', describe: 'Random seed for --sample', default: 0 });
  a = opt(a, 'dry_run', { type: 'boolean', describe: 'Print the plan (index, state, name) without running anything', default: false });
  a = opt(a, 'allow_errors', { type: 'boolean', describe: 'Keep executing after a cell error (the run still counts as a success)', default: false });
  a = opt(a, 'cell_timeout', { type: 'number', describe: 'Seconds a cell may run before it is interrupted and the run fails' });
  a = opt(a, 'start_timeout', { type: 'number', describe: 'Seconds a kernel (and the embedded server) may take to start', default: 60 });
  a = opt(a, 'kernel', { type: 'string', describe: "Kernel name (default: the notebook's kernelspec, else the server default)" });
  a = opt(a, 'cwd', { type: 'string', describe: "Kernel working directory (default: the notebook's folder; on a remote server, a path relative to its root)" });
  a = opt(a, 'server_url', { type: 'string', describe: 'Use this Jupyter server instead of starting one (also JUPYTER_SERVER_URL, .env)' });
  a = opt(a, 'token', { type: 'string', describe: 'Token for --server_url (also JUPYTER_TOKEN, .env); never printed' });
  a = opt(a, 'jupyter', { type: 'string', describe: 'Command that starts the embedded server (also RUN_NOTEBOOK_JUPYTER_SERVER; default: .venv, then PATH)' });
  a = opt(a, 'html', { type: 'boolean', describe: 'Write <notebook>.html beside each executed notebook (--no_html to skip)', default: true });
  // `--no-html` is yargs' own negation of --html; the snake_case spelling needs its own flag.
  a = a.option('no_html', { type: 'boolean', describe: 'Skip the HTML rendering', hidden: true });
  a = opt(a, 'trust', { type: 'boolean', describe: 'Keep raw HTML and JavaScript in the HTML pages (trusted notebooks only)', default: false });
  a = opt(a, 'log_output', { type: 'boolean', describe: 'Stream cell outputs to the console, prefixed by config index', default: false });
  a = opt(a, 'resources', { type: 'string', describe: 'Worker slots as CUDA_VISIBLE_DEVICES: "0,1" (one GPU per slot), "0,0,1,1" (two slots per GPU), "0,1;2,3" (two GPUs per slot)' });
  a = opt(a, 'verbose', { type: 'boolean', describe: 'Show the Jupyter server log and error stacks', default: false });
  return a;
}

export function toSweepOptions(argv: Record<string, unknown>, overrides: Partial<SweepOptions> = {}): SweepOptions {
  const notebook = str(argv.notebook) ?? str((argv._ as unknown[] | undefined)?.[0]);
  if (!notebook) throw new UsageError('missing --notebook: the notebook to run');
  const dstDir = str(argv.dst_dir);
  if (!dstDir && !overrides.dryRun) throw new UsageError('missing --dst_dir: where results go');
  const retries = argv.num_attempts !== undefined ? num(argv.num_attempts, 'num_attempts') - 1 : num(argv.num_retries ?? 0, 'num_retries');
  if (!Number.isInteger(retries) || retries < 0) {
    throw new UsageError(argv.num_attempts !== undefined ? '--num_attempts must be a whole number, at least 1' : '--num_retries must be a whole number, 0 or more');
  }
  const noHtml = argv.no_html === true || argv.html === false;
  return {
    notebook,
    configBuilder: str(argv.config_builder),
    dstDir: dstDir ?? '.',
    numThreads: parseThreads(argv.num_threads),
    numRetries: retries,
    incremental: argv.incremental === true,
    abortOnError: argv.abort_on_error === true,
    ...sharedRunOptions(argv),
    dryRun: argv.dry_run === true,
    html: !noHtml,
    trust: argv.trust === true,
    logOutput: argv.log_output === true,
    resources: str(argv.resources) ? parseResources(str(argv.resources)!) : undefined,
    ...overrides,
  };
}

export type SharedRunOptions = Pick<
  SweepOptions,
  'allowErrors' | 'cellTimeoutSec' | 'startTimeoutSec' | 'kernel' | 'cwd' | 'serverUrl' | 'token' | 'jupyterCommand' | 'verbose' | 'index' | 'startFromIndex' | 'title' | 'sample' | 'seed'
>;

/** The engine, server and selection flags that `run` and `check` share. */
export function sharedRunOptions(argv: Record<string, unknown>): SharedRunOptions {
  return {
    allowErrors: argv.allow_errors === true,
    cellTimeoutSec: optNum(argv.cell_timeout, 'cell_timeout'),
    startTimeoutSec: optNum(argv.start_timeout, 'start_timeout'),
    kernel: str(argv.kernel),
    cwd: str(argv.cwd),
    serverUrl: str(argv.server_url),
    token: str(argv.token),
    jupyterCommand: str(argv.jupyter),
    verbose: argv.verbose === true,
    index: optNum(argv.index, 'index'),
    startFromIndex: optNum(argv.start_from_index, 'start_from_index'),
    title: str(argv.title),
    sample: optNum(argv.sample, 'sample'),
    seed: optNum(argv.seed, 'seed'),
  };
}

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

// Everything a sweep needs to know, as typed values. The CLI fills it from flags
// (src/cli/flagTable.ts has one entry per field below).
import type { Parameters } from '../config/index.js';
import type { ExecuteOptions } from '../execute/index.js';

/** The engine, server and selection settings every command that runs notebooks shares (run, check). */
export interface EngineOptions {
  index?: number;
  startFromIndex?: number;
  /** Sweep files: the group to run, and a random subset. */
  title?: string;
  sample?: number;
  seed?: number;
  allowErrors: boolean;
  cellTimeoutSec?: number;
  startTimeoutSec?: number;
  /** Seconds a server may go unanswering (GET /api, a WebSocket stuck connecting) before it counts as lost. */
  serverGraceSec?: number;
  kernel?: string;
  /** --python: the interpreter of a python3-style kernel (else RUN_NOTEBOOK_PYTHON, $VIRTUAL_ENV, ...; see jupyter/interpreter.ts). */
  python?: string;
  cwd?: string;
  /** --server_url, repeatable; each URL may carry ?token=. */
  serverUrls?: string[];
  /** --servers FILE: the servers (YAML/JSON) with tokens' sources, slots, kind, env. */
  serversFile?: string;
  token?: string;
  /** Command that starts the embedded server (else .venv, then PATH). */
  jupyterCommand?: string;
  verbose: boolean;
}

export interface SweepOptions extends EngineOptions {
  notebook: string;
  /** Python call expression or sweep file path; undefined = run the notebook once as config 0. */
  configBuilder?: string;
  /** -p/-r/-f/-y (papermill's): the one config without a builder, else added to every config. */
  parameters?: Parameters;
  dstDir: string;
  numThreads: number;
  /** --num_threads was given (else, on remote servers, the sweep runs as many as their slots). */
  numThreadsGiven: boolean;
  numRetries: number;
  incremental: boolean;
  abortOnError: boolean;
  /** Start no new runs once the first 3 finished runs failed the same way (sweep/failFast.ts); --no_fail_fast. */
  failFast: boolean;
  dryRun: boolean;
  html: boolean;
  trust: boolean;
  logOutput: boolean;
  /** One entry per worker slot: the device ids that slot gets as CUDA_VISIBLE_DEVICES. */
  resources?: string[][];
  /** Fork each run's kernel from a template that pre-imported ipykernel and the notebook's modules. */
  warm?: boolean;
  /** --warm_imports: the modules the template imports ([] for ipykernel only); undefined = the notebook's top-level imports. */
  warmImports?: string[];
  /** --warm_prefix (implies --warm): the code cells above the parameters cell run once in the template. */
  warmPrefix?: boolean;
  /** --remote_dir: on a remote server, the kernel-side folder standing in for dst_dir (default run-notebook-scratch/<sweep id>). */
  remoteDir?: string;
  /** --artifacts: how files a run writes on a remote server come back (sweep/remoteResults.ts); a server's own `artifacts` wins. */
  artifacts?: 'copy' | 'kernel' | 'none';
  /** Extra per-cell rules for the engine (the check command's nbval markers). */
  cellRules?: Pick<ExecuteOptions, 'skipCell' | 'mayRaise'>;
}

/** `run-notebook experiment`: a Python function per config instead of a notebook. A cell
 *  error is the function's exception, so --allow_errors has no meaning there. */
export interface ExperimentOptions extends Omit<SweepOptions, 'notebook' | 'cellRules' | 'allowErrors'> {
  /** MODULE.FUNCTION, called with each config. */
  experimentBuilder: string;
}

/** "0,1" → [["0"],["1"]]; "0,1;2,3" → [["0","1"],["2","3"]]. */
export function parseResources(spec: string): string[][] {
  const groups = spec.includes(';') ? spec.split(';').map((g) => g.split(',')) : spec.split(',').map((d) => [d]);
  return groups.map((g) => g.map((d) => d.trim()).filter(Boolean)).filter((g) => g.length > 0);
}

// run.json: the status of one run and every attempt it took. Read and written only
// through ./runs.ts (writeRun, readRun, runSucceeded).
import type { JSONValue } from '../notebook/types.js';
import type { AttemptStatus, RunStatus } from '../status.js';
import type { LogCut } from './runLog.js';

export interface AttemptRecord {
  attempt: number;
  status: AttemptStatus;
  startedAt: string;
  endedAt: string;
  /** Wall time of the attempt, from the run taking its kernel to the last cell's end. */
  durationSec: number;
  /** How long its kernel took to start (to its first reply and preamble), measured where it
   *  started: for a kernel started ahead of the run, while other runs executed. */
  kernelStartSec?: number;
  /** Time spent executing the notebook's cells. */
  execSec?: number;
  headline?: string;
  /** The headline without its location, e.g. "KeyError: 'x'". */
  reason?: string;
  cellIndex?: number;
  /** The server the kernel ran on (its URL, without credentials) and that URL's host. */
  server?: string;
  /** The interpreter the kernel reported (Python's sys.executable). */
  python?: string;
  host?: string;
  /** The server's name (--servers), kind (jupyter_server, kernel_gateway, enterprise_gateway, embedded) and version. */
  serverName?: string;
  serverKind?: string;
  serverVersion?: string;
  /** A remote server's scratch result folder, copied back into result_<idx>/ (sweep/remoteResults.ts). */
  remoteFolder?: RemoteFolderRecord;
}

/** What became of the files a run wrote on a remote server. A failed copy never fails the run. */
export interface RemoteFolderRecord {
  /** How the files came back: the server's contents API, or the kernel channel. */
  route: 'contents' | 'kernel';
  /** The scratch folder, as the kernel sees it. */
  dir: string;
  /** Files and bytes copied into result_<idx>/, and how long that took. */
  copied: number;
  bytes: number;
  seconds: number;
  /** Of those, on the contents route: files it does not serve (dotfiles) that the kernel brought. */
  byKernel?: number;
  /** Files identical to the runner's own (config.json), not copied again. */
  unchanged?: string[];
  /** Files named like the runner's own (run.json, the notebook, log.txt...) with other content: not copied. */
  conflicts?: string[];
  skipped?: { path: string; why: string }[];
  failed?: { path: string; error: string }[];
  /** The copy as a whole failed (folder unreadable, kernel gone, time limit). */
  error?: string;
  /** The scratch folder was deleted afterwards. */
  removed: boolean;
}

export interface RunRecord {
  index: number;
  name: string;
  status: RunStatus;
  fingerprint: string;
  /** The executed notebook's file name; none for an experiment. */
  notebook?: string;
  html?: string;
  startedAt: string;
  endedAt: string;
  /** The run's duration as shown everywhere: the execution time of its last attempt, the same
   *  measure whether or not its kernel was started ahead. */
  durationSec: number;
  /** Kernel start-up of the last attempt (see AttemptRecord.kernelStartSec). */
  kernelStartSec?: number;
  /** Wall time from the run's start to its end, every attempt and kernel wait included. */
  totalSec?: number;
  attempts: AttemptRecord[];
  results: Record<string, JSONValue>;
  /** Headline of the last failure, for summaries. */
  error?: string;
  errorCellIndex?: number;
  /** An experiment's last traceback, as plain text. */
  traceback?: string;
  kernel: string;
  /** The interpreter the kernel reported (Python's sys.executable), for kernels that say. */
  python?: string;
  /** Server problems that sent the run elsewhere without spending a retry. */
  requeues?: { at: string; server: string; reason: string }[];
  /** log.txt was cut (a full disk): after how many bytes, and why. The log's last line says so too. */
  logCut?: LogCut;
}

// One row of the sweep summary: what summary.json, summary.csv, summary.sqlite, the
// index page and `run-notebook results` show of a config.
import type { JSONValue } from '../notebook/types.js';
import type { AttemptStatus, SummaryStatus, ThisRun } from '../status.js';

export interface SummaryRow {
  index: number;
  name: string;
  status: SummaryStatus;
  /** This invocation's view (see ThisRun). */
  this_run: ThisRun;
  attempts: number;
  /** Kernel start-up of the last attempt, in seconds. */
  start_sec: number | null;
  /** Execution of the last attempt's cells, in seconds: the run's duration as shown. */
  exec_sec: number | null;
  /** Wall time of the whole run, every attempt and kernel wait included. */
  total_sec: number | null;
  /** The server the last attempt ran on (its --servers name, else host:port; the embedded server's URL), and its host. */
  server: string | null;
  host: string | null;
  /** The config's `_tags` and `_description`. */
  tags: string[];
  description: string | null;
  params: Record<string, JSONValue>;
  results: Record<string, JSONValue>;
  error: string | null;
  notebook: string | null;
  html: string | null;
  /** Files the run wrote into its result folder (get_result_dir()), relative to dst_dir. */
  artifacts: string[];
}

/** One attempt, for the `attempts` table. */
export interface AttemptRow {
  run_index: number;
  attempt: number;
  status: AttemptStatus;
  started_at: string;
  ended_at: string;
  start_sec: number | null;
  exec_sec: number | null;
  total_sec: number;
  server: string | null;
  host: string | null;
  headline: string | null;
  cell_index: number | null;
}

export interface SweepMeta {
  title: string;
  notebook: string;
  startedAt: string;
  endedAt: string | null;
}

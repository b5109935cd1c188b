// Public types of the HTML stage.
import type { RunPageStatus, SummaryStatus } from '../status.js';

/** What a sweep knows about one run, shown at the top of that run's page. */
export interface RunHeader {
  index: number;
  name: string;
  status: RunPageStatus;
  durationSec?: number;
  attempts?: number;
  /** Human-readable form of the config (its repr). */
  configText?: string;
  /** JSON form of the config, when it has one. */
  configJson?: unknown;
  /** The config's `_tags` and `_description`. */
  tags?: string[];
  description?: string;
  /** Kernel start-up, apart from durationSec (execution). */
  kernelStartSec?: number;
  /** The kernel that ran, and the interpreter it reported. */
  kernel?: string;
  python?: string;
  /** Files the run wrote into its result folder, relative to it (the page's folder); images
   *  with a thumbnail as a data: URI, so the page still makes no request. */
  artifacts?: { path: string; thumbnail?: string }[];
  /** For a failed run: where it failed. The banner links to `anchorId` or else `cell-<cellIndex>`. */
  error?: { cellIndex: number; headline: string; anchorId?: string };
}

export interface RenderOptions {
  /** Keep raw HTML and JavaScript (for notebooks the user trusts). Default: sanitize. */
  trust?: boolean;
  /** Hide code cells' input and all prompts (nbconvert's --no-input). */
  noInput?: boolean;
  /** The notebook's folder, for embedding relative images. Without it they are left as notes. */
  notebookDir?: string;
  /** Page title; defaults to the notebook's metadata title, then "Notebook". */
  title?: string;
  /** Run facts for pages written by a sweep. */
  runHeader?: RunHeader;
}

export interface SweepIndexRow {
  index: number;
  name: string;
  /** The summary's status, or how a failed run failed. */
  status: SummaryStatus | RunPageStatus;
  attempts: number;
  /** The server the last attempt ran on, and its host. */
  server?: string;
  host?: string;
  durationSec?: number;
  params: Record<string, unknown>;
  results: Record<string, unknown>;
  /** Link to the run's HTML page, relative to index.html. */
  htmlHref?: string;
  /** Link to the run's executed notebook, relative to index.html. */
  notebookHref?: string;
  /** One-line error headline for runs that did not succeed. */
  error?: string;
  /** Kernel start-up, apart from durationSec (execution). */
  startSec?: number;
  /** The config's own name (`_name`), when it has one; otherwise `name` is made of the parameters. */
  customName?: string;
  tags?: string[];
  description?: string;
  /** Files the run wrote into its folder, relative to index.html. */
  artifacts?: string[];
  /** A small picture of the run (its first image file or image output), embedded; `href` is relative to index.html. */
  thumbnail?: { src: string; width: number; height: number; title: string; href?: string };
  /** Its outputs for the compare panel: [cell number (from 1), first source line, {output key: text}] per code cell. */
  outputs?: [number, string, Record<string, string>][];
}

export interface SweepIndex {
  title: string;
  /** The notebook the sweep ran (path as the user gave it). */
  notebook: string;
  startedAt?: string;
  endedAt?: string;
  /** The sweep is still running: the page reloads itself every `reloadSec` seconds (default 5). */
  live?: boolean;
  reloadSec?: number;
  /** Some outputs were cut to keep the page small. */
  outputsCut?: boolean;
  rows: SweepIndexRow[];
}

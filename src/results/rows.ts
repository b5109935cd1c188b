// A config and its run.json → its summary row and attempt rows.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DESCRIPTION_KEY, exactParamsOf, TAGS_KEY, type PlannedConfig } from '../config/index.js';
import type { JSONValue } from '../notebook/types.js';
import type { AttemptRecord, RunRecord } from './runRecord.js';
import type { RunLayout } from './layout.js';
import type { ThisRun } from '../status.js';
import type { AttemptRow, SummaryRow } from './types.js';


const round = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

export function configTags(config: PlannedConfig): string[] {
  const t = config.params[TAGS_KEY];
  if (Array.isArray(t)) return t.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return typeof t === 'string' && t ? [t] : [];
}

export function configDescription(config: PlannedConfig): string | null {
  const d = config.params[DESCRIPTION_KEY];
  return typeof d === 'string' && d ? d : null;
}

export function shownParams(config: PlannedConfig): Record<string, JSONValue> {
  const out: Record<string, JSONValue> = {};
  // Exact numbers (1.0, big ints) where the config has them.
  for (const [k, v] of Object.entries(exactParamsOf(config))) if (k !== TAGS_KEY && k !== DESCRIPTION_KEY) out[k] = v;
  return out;
}

export interface RowPaths {
  /** dst_dir, to make paths relative. */
  dstDir: string;
  dir: string;
  notebook: string;
  html: string;
  /** The runner's own files in the result folder; everything else there is an artifact. */
  own: ReadonlySet<string>;
}

export function summaryRow(config: PlannedConfig, rec: RunRecord | undefined, thisRun: ThisRun, paths: RowPaths, artifacts: string[]): SummaryRow {
  const last = rec?.attempts[rec.attempts.length - 1];
  const rel = (p: string) => relative(paths.dstDir, p);
  return {
    index: config.index,
    name: config.name,
    status: rec?.status ?? 'not_run',
    this_run: thisRun,
    attempts: rec?.attempts.length ?? 0,
    start_sec: round(rec?.kernelStartSec ?? last?.kernelStartSec),
    exec_sec: rec ? round(rec.durationSec) : null,
    total_sec: round(rec?.totalSec),
    server: serverLabel(last),
    host: last?.host ?? null,
    tags: configTags(config),
    description: configDescription(config),
    params: shownParams(config),
    results: rec?.results ?? {},
    error: rec?.error ?? null,
    notebook: rec?.notebook ? rel(paths.notebook) : null,
    html: rec?.html ? rel(paths.html) : null,
    artifacts,
  };
}

/** The server an attempt ran on as the summary names it: its name (--servers, else host:port) or, for the embedded server, its URL. */
function serverLabel(a: AttemptRecord | undefined): string | null {
  return a?.serverName ?? a?.server ?? null;
}

export function attemptRows(rec: RunRecord | undefined): AttemptRow[] {
  return (rec?.attempts ?? []).map((a) => ({
    run_index: rec!.index,
    attempt: a.attempt,
    status: a.status,
    started_at: a.startedAt,
    ended_at: a.endedAt,
    start_sec: round(a.kernelStartSec),
    exec_sec: round(a.execSec),
    total_sec: round(a.durationSec)!,
    server: serverLabel(a),
    host: a.host ?? null,
    headline: a.headline ?? null,
    cell_index: a.cellIndex ?? null,
  }));
}

const MAX_ARTIFACTS = 200;

/** Files under the result folder that the runner did not write, relative to dst_dir, sorted; at most 200. */
export function listArtifacts(paths: RowPaths): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (out.length >= MAX_ARTIFACTS) return;
      const full = join(dir, n);
      if (depth === 0 && paths.own.has(n)) continue;
      if (n.startsWith('.') && n.endsWith('.tmp')) continue; // an atomic write in flight
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 3) walk(full, depth + 1);
      } else if (st.isFile()) out.push(relative(paths.dstDir, full));
    }
  };
  walk(paths.dir, 0);
  return out;
}

/** The files and folders of a run's folder (`layout`) for listArtifacts. */
export function rowPaths(dstDir: string, layout: RunLayout): RowPaths {
  const own = new Set([layout.notebook, layout.html, layout.configJson, layout.configTxt, layout.runJson, layout.log, layout.success].map((p) => p.slice(layout.dir.length + 1)));
  return { dstDir, dir: layout.dir, notebook: layout.notebook, html: layout.html, own };
}

// `run-notebook results DIR...`: each DIR's summary.json → flat rows keyed by the summary's
// column names (columns.ts), with a `sweep` column when there are several DIRs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { RUN_COLUMNS, summaryColumns, type Column } from '../columns.js';
import type { SummaryRow } from '../types.js';
import { loggedOutcomes } from '../events.js';
import type { Row } from './where.js';
import type { JSONValue } from '../../notebook/types.js';

export interface LoadedSweeps {
  columns: Column[];
  rows: Row[];
}

function readSummary(dir: string): SummaryRow[] {
  const path = join(dir, 'summary.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no summary.json in ${dir}: not a run-notebook --dst_dir, or its sweep has not started` : `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const doc = JSON.parse(text) as { runs?: Partial<SummaryRow>[] };
    if (!Array.isArray(doc.runs)) throw new Error('no "runs" list');
    const logged = loggedOutcomes(dir);
    return doc.runs.map((r) => {
      // A live summary whose runner is gone (killed, or its last writes failed on a full
      // disk): events.jsonl says how each run it shows running ended, or that it was
      // cancelled. A run it shows not_run may have run after the summary's last good write
      // (the first one lists every run as not_run), so the log is asked about those too.
      const stale = r.status === 'running' || r.status === 'not_run';
      const outcome = stale && typeof r.index === 'number' ? logged.get(r.index) : undefined;
      return {
        ...r,
        ...(outcome ?? {}),
        params: r.params ?? {},
        results: r.results ?? {},
        tags: r.tags ?? [],
      };
    }) as SummaryRow[];
  } catch (err) {
    throw new UsageError(`${path} is not a summary run-notebook can read: ${(err as Error).message}`);
  }
}

export function loadSweeps(dirs: readonly string[]): LoadedSweeps {
  const perDir = dirs.map((d) => ({ dir: d, rows: readSummary(d) }));
  const all = perDir.flatMap((d) => d.rows);
  const several = dirs.length > 1;
  const columns = summaryColumns(all, several ? ['sweep', ...RUN_COLUMNS] : undefined);
  const rows: Row[] = [];
  for (const d of perDir) {
    for (const r of d.rows) {
      const row: Row = {};
      for (const c of columns) {
        if (c.kind === 'param') row[c.name] = r.params[c.key];
        else if (c.kind === 'result') row[c.name] = r.results[c.key];
        else if (c.key === 'sweep') row[c.name] = d.dir;
        else if (c.key === 'tags') row[c.name] = r.tags;
        else {
          const v = (r as unknown as Record<string, JSONValue | undefined>)[c.key];
          row[c.name] = v === null ? undefined : v;
        }
      }
      rows.push(row);
    }
  }
  return { columns, rows };
}

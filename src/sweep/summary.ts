// The sweep at a glance: summary.json, summary.csv (one row per config, one column per
// parameter and per recorded result) and index.html.
import { relative } from 'node:path';
import type { ConfigPlan } from '../config/index.js';
import { renderSweepIndexHtml } from '../html/index.js';
import type { JSONValue } from '../notebook/types.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { RunLayout, SWEEP_FILES } from './layout.js';
import { readRunRecord, type RunRecord } from './runRecord.js';
import { join } from 'node:path';

export interface SummaryRow {
  index: number;
  name: string;
  /** success | failed | aborted | interrupted | not_run */
  status: string;
  /** This invocation's view: ran, up_to_date, stale (rerun because its fingerprint changed), not_selected. */
  this_run: string;
  attempts: number;
  duration_sec: number | null;
  params: Record<string, JSONValue>;
  results: Record<string, JSONValue>;
  error: string | null;
  notebook: string | null;
  html: string | null;
}

export function buildSummary(plan: ConfigPlan, dstDir: string, stem: string, thisRun: Map<number, string>): SummaryRow[] {
  return plan.configs.map((c) => {
    const layout = new RunLayout(dstDir, c.index, stem);
    const rec: RunRecord | undefined = readRunRecord(layout.runJson);
    const rel = (p: string) => relative(dstDir, p);
    return {
      index: c.index,
      name: c.name,
      status: rec?.status ?? 'not_run',
      this_run: thisRun.get(c.index) ?? 'not_selected',
      attempts: rec?.attempts.length ?? 0,
      duration_sec: rec ? Math.round(rec.durationSec * 1000) / 1000 : null,
      params: c.params,
      results: rec?.results ?? {},
      error: rec?.error ?? null,
      notebook: rec ? rel(layout.notebook) : null,
      html: rec?.html ? rel(layout.html) : null,
    };
  });
}

export async function writeSummary(dstDir: string, rows: SummaryRow[], meta: { title: string; notebook: string; startedAt: string; endedAt: string }): Promise<string> {
  await writeFileAtomic(join(dstDir, SWEEP_FILES.summaryJson), JSON.stringify({ ...meta, runs: rows }, null, 1) + '\n');
  await writeFileAtomic(join(dstDir, SWEEP_FILES.summaryCsv), toCsv(rows));
  const indexPath = join(dstDir, SWEEP_FILES.index);
  const html = renderSweepIndexHtml({
    title: meta.title,
    notebook: meta.notebook,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    rows: rows.map((r) => ({
      index: r.index,
      name: r.name,
      status: r.status,
      attempts: r.attempts,
      durationSec: r.duration_sec ?? undefined,
      params: r.params,
      results: r.results,
      htmlHref: r.html ?? undefined,
      notebookHref: r.notebook ?? undefined,
      error: r.error ?? undefined,
    })),
  });
  await writeFileAtomic(indexPath, html);
  return indexPath;
}

function toCsv(rows: SummaryRow[]): string {
  const paramKeys = unionKeys(rows.map((r) => r.params));
  const resultKeys = unionKeys(rows.map((r) => r.results));
  const header = ['index', 'name', 'status', 'attempts', 'duration_sec', ...paramKeys, ...resultKeys.map((k) => (paramKeys.includes(k) ? `result.${k}` : k)), 'error'];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const cells = [r.index, r.name, r.status, r.attempts, r.duration_sec, ...paramKeys.map((k) => r.params[k]), ...resultKeys.map((k) => r.results[k]), r.error];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

function unionKeys(objs: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const o of objs) for (const k of Object.keys(o)) keys.add(k);
  return [...keys];
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The summary rows → index.html.
import { renderSweepIndexHtml } from '../html/index.js';
import type { SummaryRow, SweepMeta } from './types.js';

export function renderIndex(rows: readonly SummaryRow[], meta: SweepMeta, opts: { live: boolean }): string {
  return renderSweepIndexHtml({
    title: meta.title,
    notebook: meta.notebook,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt ?? undefined,
    live: opts.live,
    rows: rows.map((r) => ({
      index: r.index,
      name: r.name,
      status: r.status,
      attempts: r.attempts,
      durationSec: r.exec_sec ?? undefined,
      params: r.params,
      results: r.results,
      htmlHref: r.html ?? undefined,
      notebookHref: r.notebook ?? undefined,
      error: r.error ?? undefined,
    })),
  });
}

// The summary rows → index.html.
import { renderSweepIndexHtml } from '../html/index.js';
import type { CellOutputs } from './outputs.js';
import type { Thumbnail } from './thumbnails.js';
import type { SummaryRow, SweepMeta } from './types.js';

export function renderIndex(rows: readonly SummaryRow[], meta: SweepMeta, opts: { live: boolean; outputs?: ReadonlyMap<number, { cells: CellOutputs[]; cut: boolean }>; thumbnails?: ReadonlyMap<number, Thumbnail> }): string {
  return renderSweepIndexHtml({
    title: meta.title,
    notebook: meta.notebook,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt ?? undefined,
    live: opts.live,
    outputsCut: rows.some((r) => opts.outputs?.get(r.index)?.cut),
    rows: rows.map((r) => {
      const name = r.params._name;
      const params = { ...r.params };
      delete params._name;
      return {
        index: r.index,
        name: r.name,
        ...(typeof name === 'string' ? { customName: name } : {}),
        status: r.status,
        attempts: r.attempts,
        ...(r.server ? { server: r.server } : {}),
        ...(r.host ? { host: r.host } : {}),
        durationSec: r.exec_sec ?? undefined,
        startSec: r.start_sec ?? undefined,
        params,
        results: r.results,
        tags: r.tags,
        description: r.description ?? undefined,
        artifacts: r.artifacts,
        outputs: opts.outputs?.get(r.index)?.cells,
        thumbnail: thumbnailFor(opts.thumbnails?.get(r.index), r.html ?? r.notebook ?? undefined),
        htmlHref: r.html ?? undefined,
        notebookHref: r.notebook ?? undefined,
        error: r.error ?? undefined,
      };
    }),
  });
}

/** A file's thumbnail links to the file; a notebook output's to the run's page (both relative to index.html). */
function thumbnailFor(t: Thumbnail | undefined, page: string | undefined) {
  if (!t) return undefined;
  const href = t.file ? t.file.split(/[\\/]/).map(encodeURIComponent).join('/') : page;
  return { src: t.src, width: t.width, height: t.height, title: t.of, ...(href ? { href } : {}) };
}

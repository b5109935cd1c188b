// The first run target: the notebook. An attempt executes a fresh copy with the config's
// parameters injected; saving writes the executed notebook and its HTML page.
import { dirname, join, resolve } from 'node:path';
import { injectConfig, injectionWarning, type PlannedConfig } from '../config/index.js';
import { clearExecution, executeNotebook } from '../execute/index.js';
import { renderNotebookHtml } from '../html/index.js';
import { notebookSourceDigest, notebookStem, readNotebook, writeNotebook } from '../notebook/index.js';
import type { Notebook } from '../notebook/types.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { runPageHeader } from './runHeader.js';
import { NotebookPrefix } from './warmPrefix.js';
import type { SweepOptions } from './options.js';
import type { FinishedRun, RunTarget, RunTargetOpener, TargetAttempt } from './target.js';

class NotebookAttempt implements TargetAttempt {
  readonly nb: Notebook;
  constructor(
    source: Notebook,
    config: PlannedConfig,
    language: string,
    private readonly opts: SweepOptions,
    private readonly prefix?: NotebookPrefix,
  ) {
    this.nb = structuredClone(source);
    injectConfig(this.nb, config, language);
  }

  execute: TargetAttempt['execute'] = async (session, io) => {
    const prefix = this.prefix;
    const rules = this.opts.cellRules;
    const outcome = await executeNotebook(this.nb, session, {
      ...rules,
      skipCell: prefix ? (cell, i) => prefix.skips(cell) || (rules?.skipCell?.(cell, i) ?? false) : rules?.skipCell,
      allowErrors: this.opts.allowErrors,
      cellTimeoutSec: this.opts.cellTimeoutSec,
      signal: io.signal,
      onCellStart: (_cell, ordinal, total) => io.onStep(ordinal, total),
      onText: (stream, text) => io.onText(stream, text),
      onRecord: (name, value) => io.onRecord(name, value),
    });
    prefix?.fill(this.nb);
    return outcome;
  };
}

export const openNotebookTarget: RunTargetOpener = async (opts) => {
  const path = resolve(opts.notebook);
  const source = await readNotebook(path);
  const stem = notebookStem(path);
  const dir = dirname(path);
  const prefix = opts.warmPrefix ? new NotebookPrefix(source) : undefined;
  const files = { notebook: `${stem}.ipynb`, html: opts.html ? `${stem}.html` : undefined };
  const target: RunTarget = {
    label: path,
    dir,
    stem,
    kernel: {
      name: source.metadata.kernelspec?.name,
      language: source.metadata.kernelspec?.language ?? source.metadata.language_info?.name,
    },
    digest: notebookSourceDigest(source),
    importSources: source.cells.filter((c) => c.cell_type === 'code').map((c) => c.source),
    files,
    prefix,
    prepare: (config, kernel) => new NotebookAttempt(source, config, kernel.language, opts, prefix),
    warnings: (plan) => injectionWarning(source, plan.configs),
    save: async (ran, run) => {
      let nb = (ran as NotebookAttempt | undefined)?.nb;
      // Nothing ran (no kernel): keep the source without stale outputs.
      if (!nb && run.last) {
        nb = structuredClone(source);
        clearExecution(nb);
      }
      if (!nb) return;
      await writeNotebook(join(run.layout.dir, files.notebook), nb);
      if (files.html) await writeFileAtomic(join(run.layout.dir, files.html), renderRunPage(nb, run, { trust: opts.trust, dir, stem }));
    },
  };
  return target;
};

function renderRunPage(nb: Notebook, run: FinishedRun, o: { trust: boolean; dir: string; stem: string }): string {
  const { config, record, last } = run;
  return renderNotebookHtml(nb, {
    trust: o.trust,
    notebookDir: o.dir,
    title: `${o.stem} · ${config.name}`,
    runHeader: runPageHeader(run, record.error !== undefined && record.errorCellIndex !== undefined ? { cellIndex: record.errorCellIndex, headline: last?.reason ?? record.error } : undefined),
  });
}

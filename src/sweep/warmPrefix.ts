// --warm_prefix for the notebook target: the code cells above the `parameters` cell run
// once in the warm template; each run skips them and its saved notebook gets their
// outputs, marked in cell metadata as executed once for the sweep.
import { UsageError } from '../errors.js';
import type { PrefixResult } from '../jupyter/index.js';
import type { CodeCell, Notebook } from '../notebook/types.js';

export const PREFIX_MARK = 'executed once for the sweep (--warm_prefix), before the runs forked from it';

export class NotebookPrefix {
  /** Ids of the prefix cells that run (not empty, not skip-execution), in order. */
  private readonly ids: string[];
  readonly sources: string[];
  private results?: PrefixResult[];

  constructor(nb: Notebook) {
    const at = nb.cells.findIndex((c) => c.metadata.tags?.includes('parameters'));
    if (at < 0) throw new UsageError('--warm_prefix needs a cell tagged "parameters": the code cells above it are the prefix run once for the sweep');
    const cells = nb.cells.slice(0, at).filter((c): c is CodeCell => c.cell_type === 'code' && c.source.trim() !== '' && !c.metadata.tags?.includes('skip-execution'));
    this.ids = cells.map((c) => c.id ?? '');
    this.sources = cells.map((c) => c.source);
  }

  /** The template ran the prefix: from now on runs skip those cells and copy these outputs. */
  use(results: PrefixResult[]): void {
    if (results.length === this.ids.length) this.results = results;
  }

  /** Whether the engine should leave this cell alone (the template ran it). */
  skips(cell: CodeCell): boolean {
    return this.results !== undefined && cell.id !== undefined && this.ids.includes(cell.id);
  }

  /** Puts the prefix's outputs into an executed copy of the notebook. */
  fill(nb: Notebook): void {
    if (!this.results) return;
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code' || cell.id === undefined) continue;
      const i = this.ids.indexOf(cell.id);
      if (i < 0) continue;
      const r = this.results[i]!;
      cell.outputs = structuredClone(r.outputs) as unknown as CodeCell['outputs'];
      cell.execution_count = r.execution_count;
      (cell.metadata as Record<string, unknown>).run_notebook = { warm_prefix: PREFIX_MARK };
    }
  }
}

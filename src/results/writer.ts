// Writes the sweep's summary files (summary.json, summary.csv, summary.sqlite, index.html)
// at the start of a sweep, again as runs finish (at most every `intervalMs`), and a last
// time at its end. Each file is replaced atomically. While the sweep runs, index.html
// reloads itself; the last version does not.
import { stringifyExact } from '../notebook/index.js';
import { join } from 'node:path';
import type { ConfigPlan } from '../config/index.js';
import type { RunRecord } from './runRecord.js';
import { cancelledText, type CancelledRun } from './events.js';
import { readRun } from './runs.js';
import { RunLayout, SWEEP_FILES } from './layout.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { toCsv } from './csv.js';
import { renderIndex } from './indexPage.js';
import { attemptRows, listArtifacts, rowPaths, summaryRow, type RowPaths } from './rows.js';
import { writeSqlite } from './sqlite.js';
import { runOutputs, type CellOutputs } from './outputs.js';
import { runThumbnail, type Thumbnail } from './thumbnails.js';
import type { ThisRun } from '../status.js';
import type { AttemptRow, SummaryRow, SweepMeta } from './types.js';

export const SUMMARY_SQLITE = 'summary.sqlite';

export interface SummaryFiles {
  rows: SummaryRow[];
  attempts: AttemptRow[];
  meta: SweepMeta;
  live: boolean;
  /** Per config index, for the index page's compare panel. */
  outputs?: ReadonlyMap<number, { cells: CellOutputs[]; cut: boolean }>;
  /** Per config index: its picture in the index page's table. */
  thumbnails?: ReadonlyMap<number, Thumbnail>;
}

/** Writes every summary file; returns index.html's path. */
export async function writeSummaryFiles(dstDir: string, f: SummaryFiles): Promise<string> {
  await writeFileAtomic(join(dstDir, SWEEP_FILES.summaryJson), stringifyExact({ ...f.meta, runs: f.rows }, 1) + '\n');
  await writeFileAtomic(join(dstDir, SWEEP_FILES.summaryCsv), toCsv(f.rows));
  await writeSqlite(join(dstDir, SUMMARY_SQLITE), f.rows, f.attempts, f.meta);
  const indexPath = join(dstDir, SWEEP_FILES.index);
  await writeFileAtomic(indexPath, renderIndex(f.rows, f.meta, { live: f.live, outputs: f.outputs, thumbnails: f.thumbnails }));
  return indexPath;
}

export class SummaryWriter {
  private readonly records = new Map<number, RunRecord | undefined>();
  private readonly artifacts = new Map<number, string[]>();
  private readonly outputs = new Map<number, { cells: CellOutputs[]; cut: boolean }>();
  private readonly running = new Set<number>();
  private readonly cancelled = new Map<number, CancelledRun>();
  private readonly thumbnails = new Map<number, Thumbnail>();
  /** Thumbnails being made (async, off the run's path); every write waits for them. */
  private readonly making = new Set<Promise<void>>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private lastWrite = 0;
  private failed?: unknown;

  constructor(
    private readonly plan: ConfigPlan,
    private readonly dstDir: string,
    private readonly stem: string,
    private readonly thisRun: ReadonlyMap<number, ThisRun>,
    private readonly meta: SweepMeta,
    private readonly intervalMs = 2000,
  ) {
    for (const c of plan.configs) this.reload(c.index);
  }

  private paths(index: number): RowPaths {
    return rowPaths(this.dstDir, new RunLayout(this.dstDir, index, this.stem));
  }

  private reload(index: number): void {
    this.records.set(index, readRun(new RunLayout(this.dstDir, index, this.stem)));
    this.artifacts.set(index, listArtifacts(this.paths(index)));
    this.outputs.set(index, this.records.get(index) ? runOutputs(new RunLayout(this.dstDir, index, this.stem).notebook) : { cells: [], cut: false });
    this.thumbnails.delete(index);
    if (!this.records.get(index)) return;
    const made = runThumbnail(this.dstDir, this.artifacts.get(index) ?? [], new RunLayout(this.dstDir, index, this.stem).notebook).then((t) => {
      if (t) this.thumbnails.set(index, t);
    });
    this.making.add(made);
    void made.finally(() => this.making.delete(made));
  }

  private async thumbnailsMade(): Promise<void> {
    while (this.making.size) await Promise.all(this.making);
  }

  rows(): { rows: SummaryRow[]; attempts: AttemptRow[] } {
    // A cancelled run's run.json, if any, is from before the run that was cancelled.
    const record = (index: number) => (this.cancelled.has(index) ? undefined : this.records.get(index));
    const rows = this.plan.configs.map((c) => {
      const row = summaryRow(c, record(c.index), this.thisRun.get(c.index) ?? 'not_selected', this.paths(c.index), this.artifacts.get(c.index) ?? []);
      const cancelled = this.cancelled.get(c.index);
      if (this.running.has(c.index)) row.status = 'running';
      else if (cancelled) Object.assign(row, { status: 'cancelled', error: cancelledText(cancelled) });
      return row;
    });
    return { rows, attempts: this.plan.configs.flatMap((c) => attemptRows(record(c.index))) };
  }

  /** Runs earlier runners left cancelled (see events.ts): shown so until they run again. */
  markCancelled(runs: ReadonlyMap<number, CancelledRun>): void {
    for (const [index, c] of runs) this.cancelled.set(index, c);
  }

  runStarted(index: number): void {
    this.running.add(index);
    this.cancelled.delete(index);
    this.schedule();
  }

  /** After the run's run.json is written, or failed to be (then `record` is what it would have said). */
  runEnded(index: number, record?: RunRecord): void {
    this.running.delete(index);
    this.reload(index);
    if (record) this.records.set(index, record);
    this.schedule();
  }

  /** The first version, before any run starts. */
  start(): Promise<void> {
    return this.enqueue(true);
  }

  /** The last version; throws what any write failed with. */
  async finish(endedAt: string): Promise<string> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running.clear();
    this.meta.endedAt = endedAt;
    await this.chain;
    await this.thumbnailsMade();
    const { rows, attempts } = this.rows();
    return writeSummaryFiles(this.dstDir, { rows, attempts, meta: this.meta, live: false, outputs: this.outputs, thumbnails: this.thumbnails });
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(true);
    }, wait);
    this.timer.unref();
  }

  private enqueue(live: boolean): Promise<void> {
    const next = this.chain.then(async () => {
      this.lastWrite = Date.now();
      await this.thumbnailsMade();
      const { rows, attempts } = this.rows();
      await writeSummaryFiles(this.dstDir, { rows, attempts, meta: this.meta, live, outputs: this.outputs, thumbnails: this.thumbnails });
    });
    // A live write that fails (a full disk) is retried by the next one; the last write reports it.
    this.chain = next.catch((err: unknown) => {
      this.failed = err;
    });
    return this.chain as Promise<void>;
  }

  get lastError(): unknown {
    return this.failed;
  }
}

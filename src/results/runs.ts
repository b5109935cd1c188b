// The run records of a dst_dir: the one reader and writer of result_<idx>/run.json and
// success.txt. The sweep writes through it, and --incremental, the summary and `check`
// read through it; another store (SQLite) can stand behind the same calls.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { RunLayout } from './layout.js';
import type { RunRecord } from './runRecord.js';

/** A rerun's folder holds no success marker until the rerun succeeds. */
export function resetRun(layout: RunLayout): void {
  rmSync(layout.success, { force: true });
}

/** run.json, then success.txt for a successful run (seed compatibility), each atomically. */
export async function writeRun(layout: RunLayout, run: RunRecord): Promise<void> {
  await writeFileAtomic(layout.runJson, JSON.stringify(run, null, 1) + '\n');
  if (run.status === 'success') await writeFileAtomic(layout.success, `${run.endedAt}\n`);
}

/** The run's record, or undefined when it has none (never ran, or an unreadable file). */
export function readRun(layout: RunLayout): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(layout.runJson, 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Succeeded and complete: run.json says success and success.txt is there. */
export function runSucceeded(layout: RunLayout, run: RunRecord | undefined = readRun(layout)): boolean {
  return run?.status === 'success' && existsSync(layout.success);
}

/** Every run recorded in dstDir (result_<idx>/ with a readable run.json), by index. */
export function listRuns(dstDir: string, stem: string): { layout: RunLayout; run: RunRecord }[] {
  let names: string[];
  try {
    names = readdirSync(dstDir);
  } catch {
    return [];
  }
  const indices = names.map((n) => /^result_(\d+)$/.exec(n)?.[1]).filter((i): i is string => i !== undefined).map(Number);
  return indices
    .sort((a, b) => a - b)
    .map((index) => new RunLayout(dstDir, index, stem))
    .flatMap((layout) => {
      const run = readRun(layout);
      return run ? [{ layout, run }] : [];
    });
}

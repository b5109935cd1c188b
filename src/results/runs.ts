// The run records of a dst_dir: the one reader and writer of result_<idx>/run.json and
// success.txt. The sweep writes through it, and --incremental, the summary and `check`
// read through it; another store (SQLite) can stand behind the same calls.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { RunLayout } from './layout.js';
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

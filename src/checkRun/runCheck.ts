// Running `check`: each notebook (or each config of one sweep, or of an experiment) through
// the sweep, then judged by the check stage against the stored outputs, the goldens, or only
// for running at all; the console report, the JUnit file and the exit code.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import {
  goldenResults,
  goldenResultsFile,
  goldenResultsPath,
  resultsMismatch,
  checkExitCode,
  engineCellRules,
  formatConsoleReport,
  goldenCopy,
  goldenIndexOf,
  goldenPath,
  judgeCheckedRun,
  judgeExperimentRun,
  resultLabel,
  toJUnitXml,
  type CheckedRun,
  type Expected,
  type ExpectedResults,
  type NotebookCheckResult,
} from '../check/index.js';
import { UserError, errorMessage } from '../errors.js';
import { EXPERIMENT_STEM, openExperimentTarget } from '../experiment/index.js';
import { notebookStem, readNotebook, writeNotebook } from '../notebook/index.js';
import { RunLayout } from '../results/layout.js';
import { readRun } from '../results/runs.js';
import type { JSONValue, Notebook } from '../notebook/types.js';
import { runSweep, type EventSink, type RunStatus, type SweepDeps } from '../sweep/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { CheckOptions } from './options.js';

interface Job {
  /** The notebook as the user named it, or the experiment's MODULE.FUNCTION. */
  notebook: string;
  /** The notebook as read; undefined for an experiment. */
  source?: Notebook;
  /** `--experiment_builder`: the job runs this function per config (the experiment target). */
  experiment?: string;
  /** This job's sweep folder. */
  dstDir: string;
}

interface JobOutcome {
  results: NotebookCheckResult[];
  /** Goldens written (update mode). */
  recorded: string[];
  exitCode?: number;
}

/**
 * Runs the check and prints its report: progress lines on stderr, the console report on
 * stdout, the JUnit file if asked. Returns the exit code: 0 all passed, 1 a mismatch or a
 * failed run, 2 a usage or configuration error met while running, 130 interrupted.
 *
 * Each notebook is one sweep; several notebooks run at once up to --num_threads, all on
 * the servers of `deps.pool`. `deps.signal` is the user's interrupt: running sweeps stop,
 * queued notebooks are not started.
 */
export async function runCheck(opts: CheckOptions, deps: SweepDeps, out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const startedAt = new Date().toISOString();
  // Read every notebook first: a missing or broken one is a usage error before anything runs.
  const sources = await Promise.all(opts.notebooks.map((nb) => readNotebook(nb)));
  const tempBase = opts.dstDir ? undefined : mkdtempSync(join(tmpdir(), 'run-notebook-check-'));
  const base = resolve(opts.dstDir ?? tempBase!);
  const jobs = makeJobs(opts, sources, base);

  const interrupted = () => deps.signal?.aborted ?? false;
  const log = (line: string) => out.stderr.write(`${line}\n`);
  try {
    const limit = pLimit(opts.configBuilder ? 1 : opts.numThreads);
    const outcomes = await Promise.all(
      jobs.map((job) =>
        limit(async (): Promise<JobOutcome> => {
          if (interrupted()) return { results: [], recorded: [], exitCode: 130 };
          try {
            return await checkJob(opts, job, deps, log);
          } catch (err) {
            // A configuration problem of this notebook (unknown kernel, broken builder, ...): reported, not fatal to the others.
            const code = err instanceof UserError ? err.exitCode : 1;
            log(`error: ${job.notebook}: ${errorMessage(err)}`);
            if (opts.engine.verbose && err instanceof Error && err.stack) log(err.stack);
            return { results: [{ notebook: job.notebook, cells: [], error: errorMessage(err) }], recorded: [], exitCode: code };
          }
        }),
      ),
    );
    const results = outcomes.flatMap((o) => o.results);
    const recorded = outcomes.flatMap((o) => o.recorded);
    if (opts.mode === 'update-golden') {
      for (const p of recorded) out.stdout.write(`recorded ${p}\n`);
      const what = opts.experimentBuilder ? 'golden results file' : 'golden notebook';
      out.stdout.write(`${recorded.length} ${what}${recorded.length === 1 ? '' : 's'} written to ${opts.goldenDir}\n\n`);
    }
    out.stdout.write(formatConsoleReport(results, { color: opts.color }));
    if (opts.junitXml) {
      await writeFileAtomic(resolve(opts.junitXml), toJUnitXml(results, { timestamp: startedAt }));
      log(`JUnit report: ${opts.junitXml}`);
    }
    const codes = outcomes.map((o) => o.exitCode ?? 0);
    if (interrupted() || codes.includes(130)) return 130;
    if (codes.includes(2)) return 2;
    return Math.max(checkExitCode(results), ...codes);
  } finally {
    if (tempBase) rmSync(tempBase, { recursive: true, force: true });
  }
}

/** One sweep per notebook; with several, each gets its own subfolder of the base dir. */
function makeJobs(opts: CheckOptions, sources: Notebook[], base: string): Job[] {
  if (opts.experimentBuilder) return [{ notebook: opts.experimentBuilder, experiment: opts.experimentBuilder, dstDir: base }];
  if (opts.configBuilder) return [{ notebook: opts.notebooks[0]!, source: sources[0]!, dstDir: base }];
  const used = new Set<string>();
  return opts.notebooks.map((notebook, i) => {
    const stem = notebookStem(notebook);
    let name = stem;
    for (let n = 2; used.has(name); n++) name = `${stem}-${n}`;
    used.add(name);
    return { notebook, source: sources[i]!, dstDir: join(base, name) };
  });
}

/** Runs one sweep and checks every config it ran. */
async function checkJob(opts: CheckOptions, job: Job, deps: SweepDeps, log: (line: string) => void): Promise<JobOutcome> {
  const inSweep = !!opts.configBuilder;
  const ends = new Map<number, { status: RunStatus; headline?: string }>();
  const label = (index: number, name: string) => (inSweep ? resultLabel({ notebook: job.notebook, configIndex: index, configName: name }) : job.notebook);
  const sink: EventSink = (e) => {
    if (e.type === 'run-end') {
      ends.set(e.index, { status: e.status, headline: e.headline });
      log(`${e.status === 'success' ? 'ran' : e.status} ${label(e.index, e.name)} in ${e.durationSec.toFixed(1)}s${e.headline ? `: ${e.headline}` : ''}`);
    } else if (e.type === 'warning') log(`warning: ${e.message}`);
  };
  const sweep = await runSweep(
    {
      ...opts.engine,
      // An experiment names no notebook: its target replaces the notebook's.
      notebook: job.experiment ? '' : job.notebook,
      configBuilder: opts.configBuilder,
      dstDir: job.dstDir,
      numThreads: inSweep ? opts.numThreads : 1,
      numThreadsGiven: true,
      numRetries: 0,
      incremental: false,
      abortOnError: false,
      // A check reports every notebook and config; it never skips the rest.
      failFast: false,
      dryRun: false,
      html: false,
      trust: false,
      logOutput: false,
      cellRules: engineCellRules,
    },
    sink,
    job.experiment ? { ...deps, openTarget: openExperimentTarget(job.experiment) } : deps,
  );

  const stem = job.experiment ? EXPERIMENT_STEM : notebookStem(job.notebook);
  const results: NotebookCheckResult[] = [];
  const recorded: string[] = [];
  for (const planned of [...sweep.plan].sort((a, b) => a.config.index - b.config.index)) {
    const { index, name } = planned.config;
    const end = ends.get(index);
    if (!end) continue; // never started (interrupted)
    const judged = await judgeRun(opts, job, { index, name, stem, inSweep }, end);
    results.push(judged.result);
    recorded.push(...judged.recorded);
  }
  if (opts.mode === 'update-golden' && inSweep && !selects(opts)) {
    const goldenOf = (idx: number) => (job.experiment ? goldenResultsPath(opts.goldenDir!, idx) : goldenPath(opts.goldenDir!, idx, stem));
    warnStaleGoldens(opts.goldenDir!, goldenOf, sweep.plan.map((p) => p.config.index), log);
  }
  return { results, recorded, exitCode: sweep.exitCode === 130 ? 130 : undefined };
}

/** One config's verdict (notebook or experiment), and the goldens it wrote in update mode. */
async function judgeRun(
  opts: CheckOptions,
  job: Job,
  { index, name, stem, inSweep }: { index: number; name: string; stem: string; inSweep: boolean },
  end: { status: RunStatus; headline?: string },
): Promise<{ result: NotebookCheckResult; recorded: string[] }> {
  const recorded: string[] = [];
  const layout = new RunLayout(job.dstDir, index, stem);
  if (job.experiment) {
    const got = readRun(layout)?.results ?? {};
    const run = { experiment: job.experiment, configIndex: index, configName: name, status: end.status, headline: end.headline, results: got };
    const result = judgeExperimentRun(run, opts.mode, opts.mode === 'golden' ? expectedResults(opts.goldenDir!, index) : undefined, opts.tolerance);
    if (opts.mode === 'update-golden' && end.status === 'success') recorded.push(await writeGoldenResults(opts.goldenDir!, index, got));
    return { result, recorded };
  }
  const run: CheckedRun = {
    notebook: job.notebook,
    ...(inSweep ? { configIndex: index, configName: name } : {}),
    status: end.status,
    headline: end.headline,
    executed: kernelRan(layout) ? await readNotebook(layout.notebook) : undefined,
  };
  const expected = await expectedFor(opts, job, index, stem);
  const result = judgeCheckedRun(run, opts.mode, expected, opts.compare);
  const got = readRun(layout)?.results ?? {};
  if (opts.mode === 'golden' && run.status === 'success' && expected && 'notebook' in expected) {
    const golden = goldenResults(opts.goldenDir!, index);
    const differ = golden ? resultsMismatch(golden, got, opts.tolerance) : undefined;
    if (differ) result.error = [result.error, differ].filter(Boolean).join('; ');
  }
  if (opts.mode === 'update-golden' && run.status === 'success' && run.executed) {
    const path = goldenPath(opts.goldenDir!, index, stem);
    await writeNotebook(path, goldenCopy(run.executed));
    await writeGoldenResults(opts.goldenDir!, index, got);
    recorded.push(path);
  }
  return { result, recorded };
}

/** False when the last attempt never got a kernel: the saved notebook is then the unexecuted source. */
function kernelRan(layout: RunLayout): boolean {
  const last = readRun(layout)?.attempts?.at(-1);
  return !!last && last.status !== 'start_failed';
}

/** Writes `result_<idx>/results.json` of the golden dir; returns its path. */
async function writeGoldenResults(goldenDir: string, index: number, got: Record<string, JSONValue>): Promise<string> {
  const path = goldenResultsPath(goldenDir, index);
  await writeFileAtomic(path, goldenResultsFile(got));
  return path;
}

/** An experiment's golden: the results a config recorded (results.json, or run.json of a trusted dst_dir). */
function expectedResults(goldenDir: string, index: number): ExpectedResults {
  const results = goldenResults(goldenDir, index);
  if (results) return { results };
  return { missing: `no golden results ${goldenResultsPath(goldenDir, index)} (nor a run.json beside it): record them with --update_golden` };
}

async function expectedFor(opts: CheckOptions, job: Job, index: number, stem: string): Promise<Expected | undefined> {
  if (opts.mode === 'stored') return { notebook: job.source! };
  if (opts.mode !== 'golden') return undefined;
  const path = goldenPath(opts.goldenDir!, index, stem);
  if (!existsSync(path)) return { missing: `no golden notebook ${path}: record it with --update_golden` };
  try {
    return { notebook: await readNotebook(path) };
  } catch (err) {
    return { missing: `cannot read the golden notebook: ${errorMessage(err)}` };
  }
}

function selects(opts: CheckOptions): boolean {
  const e = opts.engine;
  return e.index !== undefined || e.startFromIndex !== undefined || e.sample !== undefined || e.title !== undefined;
}

/** Goldens of configs the builder no longer makes are left alone, but named. */
function warnStaleGoldens(goldenDir: string, goldenOf: (index: number) => string, indices: number[], log: (line: string) => void): void {
  let names: string[] = [];
  try {
    names = readdirSync(goldenDir);
  } catch {
    return;
  }
  const planned = new Set(indices);
  for (const name of names) {
    const idx = goldenIndexOf(name);
    if (idx !== undefined && !planned.has(idx) && existsSync(goldenOf(idx))) {
      log(`warning: ${goldenOf(idx)} belongs to no config of the plan; delete it if that config is gone`);
    }
  }
}

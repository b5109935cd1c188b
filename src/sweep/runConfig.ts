// One config of a sweep: attempts in fresh kernels until one succeeds or retries are
// spent, then the executed notebook, its HTML, log, run.json and success.txt.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { configEnv, configFileContent, configTextContent, type ConfigPlan, type PlannedConfig } from '../config/index.js';
import { clearExecution, executeNotebook, type ExecutionOutcome } from '../execute/index.js';
import { renderNotebookHtml } from '../html/index.js';
import { KernelSession, kernelCwd, settleShutdowns, type KernelPrefetch, type ServerPool } from '../jupyter/index.js';
import { injectParameters, writeNotebook } from '../notebook/index.js';
import type { JSONValue, Notebook } from '../notebook/types.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { errorMessage } from '../errors.js';
import type { EventSink, RunStatus } from './events.js';
import { RunLayout } from './layout.js';
import type { SweepOptions } from './options.js';
import type { AttemptRecord, RunRecord } from './runRecord.js';
import { configDescription, configTags, listArtifacts, rowPaths } from '../results/rows.js';
import { pageArtifacts } from '../results/artifacts.js';

export interface RunContext {
  opts: SweepOptions;
  pool: ServerPool;
  /** The notebook as read once; each attempt executes a deep copy. */
  source: Notebook;
  notebookDir: string;
  notebookStem: string;
  kernelName: string;
  language: string;
  plan: ConfigPlan;
  emit: EventSink;
  /** Aborted by Ctrl-C (reason 'interrupted') or --abort_on_error (reason 'aborted'). */
  stop: AbortController;
  /** Kernels started ahead of their runs, keyed by config index. */
  prefetch?: KernelPrefetch<number>;
}

/**
 * Runs one config. `onExecuted` is called with the run's status once no kernel works
 * for it any more, before its notebook, HTML and records are written: the sweep hands
 * the slot to the next run then, and the returned promise settles once all is written.
 */
export async function runConfig(
  ctx: RunContext,
  config: PlannedConfig,
  fingerprint: string,
  slotEnv: Record<string, string>,
  onExecuted?: (status: RunStatus) => void,
): Promise<RunRecord> {
  const layout = new RunLayout(ctx.opts.dstDir, config.index, ctx.notebookStem);
  mkdirSync(layout.dir, { recursive: true });
  rmSync(layout.success, { force: true });
  writeFileSync(layout.log, '');
  await writeFileAtomic(layout.configJson, JSON.stringify(configFileContent(config), null, 1) + '\n');
  await writeFileAtomic(layout.configTxt, configTextContent(config));

  const started = new Date();
  const attempts: AttemptRecord[] = [];
  const maxAttempts = ctx.opts.numRetries + 1;
  let nb: Notebook | undefined;
  let outcome: ExecutionOutcome | undefined;
  let results: Record<string, JSONValue> = {};

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (ctx.stop.signal.aborted) break;
    ctx.emit({ type: 'run-start', index: config.index, name: config.name, attempt, maxAttempts });
    appendFileSync(layout.log, `--- attempt ${attempt}/${maxAttempts} at ${new Date().toISOString()} ---\n`);
    const attemptStart = new Date();
    let session: KernelSession | undefined;
    let execStart: number | undefined;
    const record = (o: Omit<AttemptRecord, 'attempt' | 'startedAt' | 'endedAt' | 'durationSec'>) => {
      const end = new Date();
      attempts.push({
        attempt,
        startedAt: attemptStart.toISOString(),
        endedAt: end.toISOString(),
        durationSec: (end.getTime() - attemptStart.getTime()) / 1000,
        ...(session ? { kernelStartSec: kernelStartSec(session), ...serverOf(session) } : {}),
        ...(execStart !== undefined ? { execSec: (end.getTime() - execStart) / 1000 } : {}),
        ...o,
      });
    };
    try {
      session = await acquireKernel(ctx, config, slotEnv, attempt === 1);
    } catch (err) {
      record({ status: 'start_failed', headline: errorMessage(err), reason: errorMessage(err) });
      // Nothing ran: keep an earlier attempt's notebook, else save the source without stale outputs.
      if (!nb) {
        nb = structuredClone(ctx.source);
        clearExecution(nb);
      }
      if (!finishAttempt(attempt)) break;
      continue;
    }
    nb = structuredClone(ctx.source);
    results = {};
    if (config.json && typeof config.json === 'object' && !Array.isArray(config.json) && hasParametersCell(nb)) {
      injectParameters(nb, config.json as Record<string, JSONValue>, ctx.language);
    }
    try {
      const execute = (session: KernelSession) =>
        ctx.pool.useOn(session.server, async () => {
          try {
            return await executeNotebook(nb!, session, {
              ...ctx.opts.cellRules,
              allowErrors: ctx.opts.allowErrors,
              cellTimeoutSec: ctx.opts.cellTimeoutSec,
              signal: ctx.stop.signal,
              onCellStart: (_cell, ordinal, total) => ctx.emit({ type: 'cell', index: config.index, ordinal, total }),
              onText: (stream, text) => {
                appendFileSync(layout.log, text);
                ctx.emit({ type: 'output', index: config.index, stream, text });
              },
              onRecord: (name, value) => {
                results[name] = value;
              },
            });
          } finally {
            // With --resources the slot's devices pass to the next run: its kernel must
            // have exited (and freed GPU memory) first. Otherwise nothing waits on it.
            if (Object.keys(slotEnv).length) await session.shutdown();
            else session.shutdownSoon();
          }
        });
      execStart = Date.now();
      outcome = await execute(session);
      record({ status: outcome.status, headline: outcome.headline, reason: outcome.reason, cellIndex: outcome.cellIndex });
    } catch (err) {
      // The engine records cell errors itself; this is the engine failing (a bug, a lost server).
      outcome = undefined;
      record({ status: 'error', headline: `run failed: ${errorMessage(err)}`, reason: errorMessage(err) });
    }
    if (!finishAttempt(attempt)) break;
  }

  /** Logs a failed attempt; true when another attempt should follow. */
  function finishAttempt(attempt: number): boolean {
    const last = attempts[attempts.length - 1]!;
    if (last.status === 'ok' || last.status === 'interrupted') return false;
    appendFileSync(layout.log, `--- attempt ${attempt} failed: ${last.headline} ---\n`);
    const willRetry = attempt < maxAttempts && !ctx.stop.signal.aborted;
    ctx.emit({ type: 'attempt-failed', index: config.index, name: config.name, attempt, headline: last.headline ?? last.status, willRetry });
    return willRetry;
  }

  const last = attempts[attempts.length - 1];
  // Stopped by Ctrl-C or --abort_on_error while it ran, or while retries were still due.
  const cutShort = ctx.stop.signal.aborted && (!last || last.status === 'interrupted' || (last.status !== 'ok' && attempts.length < maxAttempts));
  const status: RunStatus = last?.status === 'ok' ? 'success' : cutShort ? (ctx.stop.signal.reason === 'aborted' ? 'aborted' : 'interrupted') : 'failed';
  const ended = new Date();
  onExecuted?.(status);
  const run: RunRecord = {
    index: config.index,
    name: config.name,
    status,
    fingerprint,
    notebook: basename(layout.notebook),
    html: ctx.opts.html ? basename(layout.html) : undefined,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationSec: last?.execSec ?? 0,
    ...(last?.kernelStartSec !== undefined ? { kernelStartSec: last.kernelStartSec } : {}),
    totalSec: (ended.getTime() - started.getTime()) / 1000,
    attempts,
    results,
    error: status === 'success' ? undefined : last?.headline ?? status,
    errorCellIndex: status === 'success' ? undefined : last?.cellIndex,
    kernel: ctx.kernelName,
  };
  if (nb) await writeNotebook(layout.notebook, nb);
  if (nb && ctx.opts.html) {
    const html = renderNotebookHtml(nb, {
      trust: ctx.opts.trust,
      notebookDir: ctx.notebookDir,
      title: `${ctx.notebookStem} · ${config.name}`,
      runHeader: {
        index: config.index,
        name: config.name,
        status: status === 'failed' && last ? failureKind(last.status) : status,
        durationSec: run.durationSec,
        attempts: attempts.length,
        kernelStartSec: run.kernelStartSec,
        tags: configTags(config),
        description: configDescription(config) ?? undefined,
        artifacts: pageArtifacts(ctx.opts.dstDir, layout.dir, listArtifacts(rowPaths(ctx.opts.dstDir, layout))),
        configText: config.repr,
        configJson: config.json ?? undefined,
        error: run.error !== undefined && run.errorCellIndex !== undefined ? { cellIndex: run.errorCellIndex, headline: last?.reason ?? run.error } : undefined,
      },
    });
    await writeFileAtomic(layout.html, html);
  }
  await writeFileAtomic(layout.runJson, JSON.stringify(run, null, 1) + '\n');
  if (status === 'success') await writeFileAtomic(layout.success, `${ended.toISOString()}\n`);
  ctx.emit({ type: 'run-end', index: config.index, name: config.name, status, durationSec: run.durationSec, headline: run.error });
  return run;
}

function failureKind(s: AttemptRecord['status']): string {
  return s === 'error' || s === 'start_failed' ? 'failed' : s;
}

/**
 * The kernel for an attempt: on the first, the one started ahead for this run if it is
 * still alive (a prefetched kernel can die or be culled while it waits), else a new one.
 */
async function acquireKernel(ctx: RunContext, config: PlannedConfig, slotEnv: Record<string, string>, first: boolean): Promise<KernelSession> {
  const ahead = first ? ctx.prefetch?.take(config.index) : undefined;
  const early = ahead && (await ahead.catch(() => undefined));
  if (early && !early.isLost) return early;
  early?.shutdownSoon();
  return startRunKernel(ctx, config, slotEnv);
}

/**
 * Starts a kernel for one run of `config`, its environment naming that run. Kernels of
 * finished runs exit in the background; at most one per thread may still be going.
 */
export async function startRunKernel(ctx: RunContext, config: PlannedConfig, slotEnv: Record<string, string>): Promise<KernelSession> {
  await settleShutdowns(ctx.opts.numThreads);
  const layout = new RunLayout(ctx.opts.dstDir, config.index, ctx.notebookStem);
  const t0 = Date.now();
  const session = await ctx.pool.use((server) =>
    KernelSession.start(server, {
      kernelName: ctx.kernelName,
      cwd: kernelCwd(ctx.opts.cwd, ctx.notebookDir, server),
      env: { ...runEnv(ctx, config, layout), ...slotEnv },
      startTimeoutSec: ctx.opts.startTimeoutSec,
    }),
  );
  startTimes.set(session, (Date.now() - t0) / 1000);
  return session;
}

/** How long each kernel took to start, measured where it started (ahead of its run or not). */
const startTimes = new WeakMap<KernelSession, number>();

function kernelStartSec(session: KernelSession): number | undefined {
  return startTimes.get(session);
}

function serverOf(session: KernelSession): { server: string; host?: string } {
  const server = session.server.label;
  try {
    return { server, host: new URL(server).hostname };
  } catch {
    return { server };
  }
}

function hasParametersCell(nb: Notebook): boolean {
  return nb.cells.some((c) => c.metadata.tags?.includes('parameters'));
}

function runEnv(ctx: RunContext, config: PlannedConfig, layout: RunLayout): Record<string, string> {
  return configEnv(ctx.plan, config, { dstDir: ctx.opts.dstDir, configPath: layout.configJson, builderDir: ctx.notebookDir });
}

// The attempt loop of one run: each attempt in a fresh kernel, until one succeeds, the
// retries are spent, or the sweep is stopped (Ctrl-C, --abort_on_error).
import type { PlannedConfig } from '../config/index.js';
import type { ExecutionOutcome } from '../execute/index.js';
import { NoUsableServerError, type JupyterServer, type KernelSession } from '../jupyter/index.js';
import { Requeue, type RequeueRecord } from './requeue.js';
import type { JSONValue } from '../notebook/types.js';
import { errorMessage } from '../errors.js';
import type { RunStatus } from './events.js';
import { acquireKernel, kernelStartSec } from './kernels.js';
import type { RunLog } from '../results/runLog.js';
import { RunLayout } from '../results/layout.js';
import type { RunContext } from './runConfig.js';
import type { AttemptRecord, RemoteFolderRecord } from '../results/runRecord.js';
import { runnerFileNames } from './remoteResults.js';
import type { TargetAttempt } from './target.js';

export interface AttemptsDone {
  attempts: AttemptRecord[];
  /** The last attempt that got a kernel. */
  ran?: TargetAttempt;
  /** Values recorded (run_notebook.record) by that attempt. */
  results: Record<string, JSONValue>;
  /** Server problems that sent the run elsewhere without spending a retry. */
  requeues?: RequeueRecord[];
}

type AttemptResult = Omit<AttemptRecord, 'attempt' | 'startedAt' | 'endedAt' | 'durationSec' | 'execSec'> & {
  /** When the target began executing (ms), for execSec. */
  execStart?: number;
  /** The kernel it ran on, or why none started (for requeues; not recorded). */
  session?: KernelSession;
  startError?: unknown;
};

export async function runAttempts(ctx: RunContext, config: PlannedConfig, log: RunLog, slotEnv: Record<string, string>): Promise<AttemptsDone> {
  const done: AttemptsDone = { attempts: [], results: {} };
  const maxAttempts = ctx.opts.numRetries + 1;
  // A retry goes to another server than the failed attempt's; a server problem requeues
  // the run without spending a retry (requeue.ts).
  const requeue = new Requeue(ctx, config.index, log);
  done.requeues = requeue.records;
  let avoid: JupyterServer | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (ctx.stop.signal.aborted) break;
    ctx.emit({ type: 'run-start', index: config.index, name: config.name, attempt, maxAttempts });
    log.append(`--- attempt ${attempt}/${maxAttempts} at ${new Date().toISOString()} ---\n`);
    const start = new Date();
    const { execStart, session, startError, ...result } = await oneAttempt(ctx, config, log, slotEnv, attempt === 1, done, avoid);
    if (startError instanceof NoUsableServerError) {
      // Nothing can run any more: the sweep stops; this run and the rest are resumed by --incremental.
      if (!ctx.stop.signal.aborted) ctx.stop.abort('server_lost');
      break;
    }
    if (!ctx.stop.signal.aborted && (startError ? requeue.startFailed(startError) : session && (await requeue.lost(session, result)))) {
      attempt--;
      continue;
    }
    if (session) {
      const entry = ctx.pool.entryOf(session.server);
      if (result.status !== 'ok') avoid = session.server;
      else if (entry) ctx.pool.scheduler!.succeeded(entry);
    }
    const end = new Date();
    done.attempts.push({
      attempt,
      startedAt: start.toISOString(),
      endedAt: end.toISOString(),
      durationSec: (end.getTime() - start.getTime()) / 1000,
      ...(execStart !== undefined ? { execSec: (end.getTime() - execStart) / 1000 } : {}),
      ...result,
    });
    if (result.status === 'ok' || result.status === 'interrupted') break;
    log.append(`--- attempt ${attempt} failed: ${result.headline} ---\n`);
    const willRetry = attempt < maxAttempts && !ctx.stop.signal.aborted;
    ctx.emit({ type: 'attempt-failed', index: config.index, name: config.name, attempt, headline: result.headline ?? result.status, willRetry, status: result.status });
    if (!willRetry) break;
  }
  return done;
}

/** One attempt: a kernel, a fresh copy of the target, its execution. Throws only when the target cannot prepare the attempt. */
async function oneAttempt(ctx: RunContext, config: PlannedConfig, log: RunLog, slotEnv: Record<string, string>, first: boolean, done: AttemptsDone, avoid?: JupyterServer): Promise<AttemptResult> {
  let session: KernelSession;
  try {
    session = await acquireKernel(ctx, config, slotEnv, first, avoid);
  } catch (err) {
    return { status: 'start_failed', headline: errorMessage(err), reason: errorMessage(err), startError: err };
  }
  const ran = { kernelStartSec: kernelStartSec(session), ...serverOf(session.server), session };
  const attempt = ctx.target.prepare(config, ctx.kernel);
  done.ran = attempt;
  const results: Record<string, JSONValue> = (done.results = {});
  const execStart = Date.now();
  let remoteFolder: RemoteFolderRecord | undefined;
  try {
    const outcome: ExecutionOutcome = await ctx.pool.useOn(session.server, async () => {
      const scratch = await ctx.remote?.open(session, config);
      try {
        return await attempt.execute(session, {
          signal: ctx.stop.signal,
          onStep: (ordinal, total) => ctx.emit({ type: 'cell', index: config.index, ordinal, total }),
          onText: (stream, text) => {
            log.append(text);
            ctx.emit({ type: 'output', index: config.index, stream, text });
          },
          onRecord: (name, value) => {
            results[name] = value;
          },
        });
      } finally {
        // Pass or fail, while the kernel still runs: its scratch folder's files come back.
        if (scratch) {
          const layout = new RunLayout(ctx.opts.dstDir, config.index, ctx.target.stem);
          remoteFolder = await scratch.collect(layout, runnerFileNames(layout, ctx.target.files));
        }
        // With --resources the slot's devices pass to the next run: its kernel must
        // have exited (and freed GPU memory) first. Otherwise nothing waits on it.
        if (Object.keys(slotEnv).length) await session.shutdown();
        else ctx.shutdowns.add(session.shutdownSoon());
      }
    });
    return { ...ran, execStart, status: outcome.status, headline: outcome.headline, reason: outcome.reason, cellIndex: outcome.cellIndex, python: session.executable, ...(remoteFolder ? { remoteFolder } : {}) };
  } catch (err) {
    // The target records its own failures; this is the engine failing (a bug, a lost server).
    return { ...ran, execStart, status: 'error', headline: `run failed: ${errorMessage(err)}`, reason: errorMessage(err), python: session.executable, ...(remoteFolder ? { remoteFolder } : {}) };
  }
}

/** The server an attempt ran on: its URL (without credentials), that URL's host, its name, kind and version. */
function serverOf(s: JupyterServer): Pick<AttemptRecord, 'server' | 'host' | 'serverName' | 'serverKind' | 'serverVersion'> {
  const who = { server: s.label, serverName: s.name, serverKind: s.kind ?? (s.kernelspecDir ? 'embedded' : undefined), serverVersion: s.version };
  try {
    return { ...who, host: new URL(s.label).hostname };
  } catch {
    return who;
  }
}

/** The run's status from its attempts: stopped by Ctrl-C or --abort_on_error while it ran, or while retries were still due. */
export function runStatus(attempts: AttemptRecord[], maxAttempts: number, stop: AbortSignal): RunStatus {
  const last = attempts[attempts.length - 1];
  if (last?.status === 'ok') return 'success';
  const cutShort = stop.aborted && (!last || last.status === 'interrupted' || attempts.length < maxAttempts);
  if (!cutShort) return 'failed';
  // No server left: a run that got to execute failed (its headline says why); one that never started was stopped.
  if (stop.reason === 'server_lost') return last && last.status !== 'interrupted' ? 'failed' : 'aborted';
  return stop.reason === 'aborted' ? 'aborted' : 'interrupted';
}

// The experiment as the sweep's second run target: a Python function per config. Its
// preflight checks the function on a kernel (exit 2 before any run) and reads the module
// sources into the fingerprint; an attempt is a one-cell notebook calling the function;
// a run saves experiment.html and the traceback instead of an executed notebook.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { executeNotebook } from '../execute/index.js';
import { renderExperimentHtml } from '../html/index.js';
import { stripAnsi } from '../html/text.js';
import type { Notebook } from '../notebook/types.js';
import { runPageHeader, type AttemptIO, type FinishedRun, type PreflightContext, type ResolvedKernel, type RunTarget, type RunTargetOpener, type SweepOptions, type TargetAttempt } from '../sweep/index.js';
import type { KernelSession } from '../jupyter/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { attemptNotebook, attemptResult, type AttemptResult, type ExperimentSpec } from './attempt.js';
import type { ExperimentInfo } from './code.js';
import { experimentFingerprintPart } from './fingerprint.js';
import { checkExperiment } from './preflight.js';

/** The file stem of an experiment run's page: result_<idx>/experiment.html. */
export const EXPERIMENT_STEM = 'experiment';

class ExperimentAttempt implements TargetAttempt {
  result?: AttemptResult;
  private readonly nb: Notebook;
  constructor(
    spec: ExperimentSpec,
    kernel: ResolvedKernel,
    private readonly opts: SweepOptions,
  ) {
    this.nb = attemptNotebook(spec, kernel.name);
  }

  async execute(session: KernelSession, io: AttemptIO) {
    // The engine runs the one cell: output, record(), --cell_timeout, interrupts and a dead
    // kernel are handled as for a notebook. An exception is the function's: never allowed.
    const outcome = await executeNotebook(this.nb, session, {
      allowErrors: false,
      cellTimeoutSec: this.opts.cellTimeoutSec,
      signal: io.signal,
      onText: (stream, text) => io.onText(stream, text),
      onRecord: (name, value) => io.onRecord(name, value),
    });
    this.result = attemptResult(this.nb, outcome);
    // The traceback goes to log.txt (and --log_output) after what the function printed.
    if (this.result.traceback) io.onText('stderr', stripAnsi(this.result.traceback).replace(/\n?$/, '\n'));
    if (outcome.status === 'ok') return outcome;
    return { ...outcome, headline: this.result.headline, reason: this.result.headline, cellIndex: undefined };
  }
}

export class ExperimentTarget implements RunTarget {
  readonly stem = EXPERIMENT_STEM;
  readonly kernel = { language: 'python' };
  readonly files: { notebook?: string; html?: string };
  readonly dir: string;
  private info?: ExperimentInfo;

  constructor(
    readonly label: string,
    private readonly opts: SweepOptions,
  ) {
    // Names resolve in --cwd, else where the command runs; the kernel starts there too.
    this.dir = resolve(opts.cwd ?? '.');
    this.files = { html: opts.html ? `${EXPERIMENT_STEM}.html` : undefined };
  }

  /** The function's module sources, known after the preflight. */
  get digest(): string {
    if (!this.info) throw new Error('the experiment was not checked before its fingerprint was needed');
    return experimentFingerprintPart(this.info);
  }

  get modules(): ExperimentInfo['modules'] {
    return this.info?.modules ?? [];
  }

  /** --warm: the function's module sources, parsed for their top-level imports (sweep/warm.ts). */
  get importSources(): string[] {
    return this.modules.flatMap((m) => {
      try {
        return m.file ? [readFileSync(m.file, 'utf8')] : [];
      } catch {
        return []; // not on this machine: nothing to pre-import from it
      }
    });
  }

  async preflight(ctx: PreflightContext): Promise<void> {
    this.info = await checkExperiment(this.label, {
      pool: ctx.pool,
      kernelName: ctx.kernel.name,
      interpreter: ctx.kernel.interpreter?.path,
      cwd: ctx.opts.cwd,
      builderDir: this.dir,
      builder: ctx.plan.builder,
      startTimeoutSec: ctx.opts.startTimeoutSec,
      signal: ctx.signal,
    });
  }

  prepare(_config: unknown, kernel: ResolvedKernel): TargetAttempt {
    return new ExperimentAttempt({ target: this.label, builderDir: this.dir }, kernel, this.opts);
  }

  async save(ran: TargetAttempt | undefined, run: FinishedRun): Promise<void> {
    const last = (ran as ExperimentAttempt | undefined)?.result;
    // run.json is written after this returns: the traceback joins it as plain text.
    if (last?.traceback) run.record.traceback = stripAnsi(last.traceback);
    if (!this.files.html) return;
    const { config, record, layout } = run;
    const page = renderExperimentHtml({
      title: `${this.label} · ${config.name}`,
      target: this.label,
      kernel: record.kernel,
      header: runPageHeader(run, record.status !== 'success' && record.error ? { cellIndex: 0, headline: record.error } : undefined),
      results: record.results,
      outputs: last?.outputs ?? [],
      logHref: 'log.txt',
      trust: this.opts.trust,
      dir: layout.dir,
    });
    await writeFileAtomic(join(layout.dir, this.files.html), page);
  }
}

/** The opener for `run-notebook experiment --experiment_builder MODULE.FUNCTION`. */
export function openExperimentTarget(target: string): RunTargetOpener {
  return async (opts) => new ExperimentTarget(target, opts);
}

// Runs one notebook top to bottom on one kernel session, the way nbclient does:
// outputs exactly as nbformat stores them, per-cell timing in metadata.execution,
// first error stops (unless allowed), timeouts interrupt, a dead kernel is a result.
import { KernelLostError, ServerLostError, type ExecuteReply, type IOPubMessage, type KernelSession } from '../jupyter/index.js';
import { OutputCollector, WidgetStateTracker, addErrorMarker, removeErrorMarkers } from '../notebook/index.js';
import type { CodeCell, ErrorOutput, JSONValue, Notebook } from '../notebook/types.js';
import { cellLabel, type ExecutionOutcome, type ExecutionStatus } from './outcome.js';

export interface ExecuteOptions {
  /** Keep going after a cell error (nbclient's allow_errors). */
  allowErrors?: boolean;
  /** Per-cell limit; on expiry the kernel is interrupted and the run stops. */
  cellTimeoutSec?: number;
  /** Aborting interrupts the running cell and ends the run as 'interrupted'. */
  signal?: AbortSignal;
  /** Extra cells to leave unexecuted (e.g. nbval's NBVAL_SKIP), beyond the skip-execution tag. */
  skipCell?: (cell: CodeCell, index: number) => boolean;
  /** Extra cells allowed to raise, beyond the raises-exception tag. */
  mayRaise?: (cell: CodeCell, index: number) => boolean;
  onCellStart?: (cellIndex: number, ordinal: number, total: number) => void;
  onText?: (stream: 'stdout' | 'stderr', text: string) => void;
  onRecord?: (name: string, value: JSONValue) => void;
}

const INTERRUPT_GRACE_MS = 10_000;

export async function executeNotebook(nb: Notebook, session: KernelSession, opts: ExecuteOptions = {}): Promise<ExecutionOutcome> {
  const started = new Date();
  clearExecution(nb);
  const runnable = nb.cells
    .map((cell, index) => ({ cell, index }))
    .filter((c): c is { cell: CodeCell; index: number } => c.cell.cell_type === 'code' && shouldRun(c.cell, c.index, opts));

  const collector = new OutputCollector(nb, {
    onText: opts.onText,
    onRecord: opts.onRecord ? (r: { name: string; value: JSONValue }) => opts.onRecord!(r.name, r.value) : undefined,
  });
  const widgets = new WidgetStateTracker();
  const unwatchWidgets = session.onAnyIOPub(widgets.handle);
  const router = new IOPubRouter(collector, widgets);
  const unsubscribe = session.onAnyIOPub(router.displayUpdates);

  let run: CellsRun;
  try {
    run = await runCells(runnable, session, router, collector, opts);
  } finally {
    unsubscribe();
    unwatchWidgets();
  }
  const { status, headline, reason, executed } = run;
  let failedAt = run.failedAt;
  widgets.saveInto(nb);

  const ended = new Date();
  const durationSec = (ended.getTime() - started.getTime()) / 1000;
  finishMetadata(nb, session, { started, ended, durationSec, status });
  if (status !== 'ok' && failedAt !== undefined && headline) {
    // The marker cells shift indices: report the failing cell's place in the saved notebook.
    const failing = nb.cells[failedAt]!;
    addErrorMarker(nb, failedAt, reason ?? headline);
    failedAt = nb.cells.indexOf(failing);
  }
  return {
    status,
    cellIndex: failedAt,
    headline,
    reason,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationSec,
    executedCells: executed,
  };
}

interface CellsRun {
  status: ExecutionStatus;
  failedAt?: number;
  headline?: string;
  reason?: string;
  /** Code cells sent to the kernel. */
  executed: number;
}

/** The runnable cells in order, until one fails (unless errors are allowed there) or the signal stops the run. */
async function runCells(runnable: { cell: CodeCell; index: number }[], session: KernelSession, router: IOPubRouter, collector: OutputCollector, opts: ExecuteOptions): Promise<CellsRun> {
  let executed = 0;
  for (const [ordinal, { cell, index }] of runnable.entries()) {
    if (opts.signal?.aborted) return { status: 'interrupted', failedAt: index, headline: `interrupted before ${cellLabel(index)}`, reason: 'interrupted', executed };
    opts.onCellStart?.(index, ordinal + 1, runnable.length);
    executed++;
    const result = await runCell(session, router, collector, cell, index, opts);
    if (result.status === 'ok') continue;
    if (result.status === 'error' && (opts.allowErrors || mayRaise(cell, index, opts))) continue;
    // nbclient's interrupt_on_timeout: with allow_errors a timed-out cell that the interrupt
    // stopped keeps its CellTimeoutError and the next cell runs.
    if (result.status === 'timeout' && result.interrupted && opts.allowErrors) continue;
    return { status: result.status, failedAt: index, headline: result.headline, reason: result.reason, executed };
  }
  return { status: 'ok', executed };
}

function shouldRun(cell: CodeCell, index: number, opts: ExecuteOptions): boolean {
  if (!cell.source.trim()) return false;
  if (cell.metadata.tags?.includes('skip-execution')) return false;
  return !opts.skipCell?.(cell, index);
}

function mayRaise(cell: CodeCell, index: number, opts: ExecuteOptions): boolean {
  return (cell.metadata.tags?.includes('raises-exception') ?? false) || (opts.mayRaise?.(cell, index) ?? false);
}

/** A fresh start, as papermill does: no stale outputs, counts or markers from an earlier run. */
export function clearExecution(nb: Notebook): void {
  removeErrorMarkers(nb);
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
    if (cell.metadata.execution) delete cell.metadata.execution;
  }
}

/** Sends IOPub messages of the running cell to the collector; display updates go notebook-wide. */
class IOPubRouter {
  /** The cell whose request is running; its messages are dropped once it is over (a timed-out cell's late output). */
  current?: CodeCell;
  constructor(
    private collector: OutputCollector,
    private widgets: WidgetStateTracker,
  ) {}

  /** Every message of the kernel: update_display_data may target an output of any earlier cell. */
  readonly displayUpdates = (msg: IOPubMessage) => {
    if (msg.msgType === 'update_display_data') this.collector.handle(msg.msgType, msg.content);
  };

  /** The messages the running cell's request caused. */
  forCell(cell: CodeCell): (msg: IOPubMessage) => void {
    this.current = cell;
    return (msg) => {
      if (this.current !== cell || msg.msgType === 'update_display_data') return;
      const timing = (cell.metadata.execution ??= {});
      switch (msg.msgType) {
        case 'status': {
          const state = msg.content.execution_state;
          if (state === 'busy') timing['iopub.status.busy'] = msg.date;
          else if (state === 'idle') timing['iopub.status.idle'] = msg.date;
          return;
        }
        case 'execute_input':
          timing['iopub.execute_input'] = msg.date;
          cell.execution_count = msg.content.execution_count as number;
          return;
        default:
          // Inside `with out:` an Output widget takes the outputs, as in a frontend.
          if (!this.widgets.capture(msg)) this.collector.handle(msg.msgType, msg.content);
      }
    };
  }
}

interface CellResult {
  status: ExecutionStatus;
  headline?: string;
  reason?: string;
  /** A timed-out cell whose kernel answered the interrupt (it can run the next cell). */
  interrupted?: boolean;
}

async function runCell(session: KernelSession, router: IOPubRouter, collector: OutputCollector, cell: CodeCell, index: number, opts: ExecuteOptions): Promise<CellResult> {
  collector.startCell(cell);
  const done = session.execute(cell.source, { storeHistory: true, cellId: cell.id ?? '', onIOPub: router.forCell(cell) });
  try {
    let race = await raceCell(done, opts);
    // A lost server also stops the sweep; the loss is what happened to this cell.
    const gone = session.server.health.lost;
    if (race.kind === 'abort' && gone) race = { kind: 'lost', server: gone };
    if (race.kind === 'reply') {
      const reply = race.reply;
      (cell.metadata.execution ??= {})['shell.execute_reply'] = reply.date;
      const content = reply.content;
      if (cell.execution_count === null && typeof content.execution_count === 'number') cell.execution_count = content.execution_count;
      if (content.status === 'ok') return { status: 'ok' };
      const reason = errorReason(cell, reply.content);
      return { status: 'error', reason, headline: `${reason} (${cellLabel(index)})` };
    }
    if (race.kind === 'lost' && race.server) {
      const { lead, why } = race.server;
      appendError(collector, cell, 'ServerLostError', `${lead} while running ${cellLabel(index)}: ${why}`);
      return { status: 'server_lost', reason: `${lead}: ${why}`, headline: `${lead} while running ${cellLabel(index)}: ${why}` };
    }
    if (race.kind === 'lost' && race.tooBig) {
      const reason = `${race.tooBig}; write big data to files instead`;
      appendError(collector, cell, 'MessageTooBigError', reason);
      return { status: 'error', reason, headline: `${reason} (${cellLabel(index)})` };
    }
    if (race.kind === 'lost') {
      appendError(collector, cell, 'DeadKernelError', `Kernel died while running ${cellLabel(index)}`);
      return { status: 'kernel_died', reason: 'the kernel died', headline: `kernel died while running ${cellLabel(index)}` };
    }
    // Timeout or abort: interrupt, then give the kernel a moment to reply.
    await session.interrupt();
    const settled = await Promise.race([done.then(() => true, () => false), delay(INTERRUPT_GRACE_MS).then(() => false)]);
    if (race.kind === 'timeout') {
      const secs = opts.cellTimeoutSec!;
      appendError(collector, cell, 'CellTimeoutError', `Cell execution timed out after ${secs} seconds`);
      const note = settled ? '' : ' (kernel did not respond to the interrupt)';
      return { status: 'timeout', interrupted: settled, reason: `timed out after ${secs}s${note}`, headline: `${cellLabel(index)} timed out after ${secs}s${note}` };
    }
    return { status: 'interrupted', reason: 'interrupted', headline: `interrupted while running ${cellLabel(index)}` };
  } finally {
    done.catch(() => undefined);
    collector.endCell();
    router.current = undefined;
  }
}

type Race =
  | { kind: 'reply'; reply: ExecuteReply }
  | { kind: 'lost'; server?: ServerLostError; tooBig?: string }
  | { kind: 'timeout' }
  | { kind: 'abort' };

async function raceCell(done: Promise<ExecuteReply>, opts: ExecuteOptions): Promise<Race> {
  const cleanups: (() => void)[] = [];
  const contenders: Promise<Race>[] = [
    done.then(
      (reply) => ({ kind: 'reply', reply }) as Race,
      (err) => {
        if (err instanceof KernelLostError) return { kind: 'lost', server: err.serverError, tooBig: err.why === 'message_too_big' ? err.message : undefined } as Race;
        if (err instanceof ServerLostError) return { kind: 'lost', server: err } as Race;
        throw err;
      },
    ),
  ];
  if (opts.cellTimeoutSec && opts.cellTimeoutSec > 0) {
    contenders.push(
      new Promise((res) => {
        const t = setTimeout(() => res({ kind: 'timeout' }), opts.cellTimeoutSec! * 1000);
        cleanups.push(() => clearTimeout(t));
      }),
    );
  }
  if (opts.signal) {
    const signal = opts.signal;
    contenders.push(
      new Promise((res) => {
        if (signal.aborted) return res({ kind: 'abort' });
        const fn = () => res({ kind: 'abort' });
        signal.addEventListener('abort', fn, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', fn));
      }),
    );
  }
  try {
    return await Promise.race(contenders);
  } finally {
    for (const c of cleanups) c();
  }
}

/** "ename: evalue" (first line), from the reply or else the cell's error output. */
function errorReason(cell: CodeCell, c: ExecuteReply['content']): string {
  const err = c.status === 'error' && c.ename ? { ename: c.ename, evalue: c.evalue ?? '' } : cell.outputs.find((o): o is ErrorOutput => o.output_type === 'error');
  if (!err) return `the cell ended with status "${c.status}"`;
  const value = firstLine(err.evalue);
  return value ? `${err.ename}: ${value}` : err.ename;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 200 ? line.slice(0, 197) + '...' : line;
}

function appendError(collector: OutputCollector, cell: CodeCell, ename: string, evalue: string): void {
  collector.handle('error', { ename, evalue, traceback: [`${ename}: ${evalue}`] });
  void cell;
}

function finishMetadata(nb: Notebook, session: KernelSession, t: { started: Date; ended: Date; durationSec: number; status: ExecutionStatus }): void {
  if (session.languageInfo) nb.metadata.language_info = session.languageInfo as unknown as NonNullable<Notebook['metadata']['language_info']>;
  // The kernel that actually ran, not a stale name the notebook came with.
  nb.metadata.kernelspec = { name: session.spec.name, display_name: session.spec.display_name, language: session.spec.language };
  nb.metadata.run_notebook = {
    start_time: t.started.toISOString(),
    end_time: t.ended.toISOString(),
    duration: t.durationSec,
    status: t.status,
    ...(session.executable ? { python: session.executable } : {}),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

// events.jsonl: the sweep's append-only status log in dst_dir. One JSON object per line
// (time, pid, host, sweep id, event), each line written whole and fsynced before the
// runner goes on, so a runner killed at any instant leaves a truthful record. Every
// invocation appends its own sweep; nothing is ever rewritten.
//
// A run whose last line is a start with no end, from a runner that is gone (no live
// lock), was cancelled: the next invocation says so (`configs`, the summary, the index,
// `results`) instead of showing it as still running.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeWriteError } from '../util/atomicWrite.js';
import type { AttemptStatus, RunStatus } from '../status.js';
import { runnerLiveIn } from './runner.js';

export const EVENTS_FILE = 'events.jsonl';

/** What one line says, beside its time, pid, host and sweep. */
export type LogEvent =
  | { event: 'sweep_start'; total: number; to_run: number; up_to_date: number; threads: number; queued: number[] }
  | { event: 'run_started'; index: number; name: string; attempt: number; max_attempts: number }
  | { event: 'attempt_end'; index: number; attempt: number; status: AttemptStatus | 'failed'; headline: string; will_retry: boolean }
  | { event: 'run_finished'; index: number; name: string; status: RunStatus; duration_sec: number; error?: string }
  | { event: 'run_requeued'; index: number; reason: string }
  | { event: 'server_lost'; message: string; restarting: boolean }
  | { event: 'interrupted'; reason: string }
  | { event: 'sweep_end'; counts?: Record<string, number>; interrupted: boolean; error?: string };

export type LogLine = LogEvent & { time: string; pid: number; host: string; sweep: string };

/** The writer: one per sweep. A failed write (a full disk) leaves no cut line, is told once, and ends the log. */
export class EventLog {
  readonly sweep = randomBytes(6).toString('hex');
  private fd?: number;
  private size = 0;
  /** A sweep_start, a sweep_end was recorded (or tried). */
  started = false;
  ended = false;

  private constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {}

  static open(dstDir: string, warn: (message: string) => void): EventLog {
    return EventLog.openFile(join(dstDir, EVENTS_FILE), warn);
  }

  static openFile(path: string, warn: (message: string) => void): EventLog {
    const log = new EventLog(path, warn);
    try {
      log.fd = openSync(log.path, 'a');
      log.size = fstatSync(log.fd).size;
    } catch (err) {
      log.fail(err);
    }
    return log;
  }

  record(event: LogEvent): void {
    if (event.event === 'sweep_start') this.started = true;
    if (event.event === 'sweep_end') this.ended = true;
    if (this.fd === undefined) return;
    const line: LogLine = { time: new Date().toISOString(), pid: process.pid, host: hostname(), sweep: this.sweep, ...event };
    const bytes = Buffer.from(JSON.stringify(line) + '\n');
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off);
      fsyncSync(this.fd);
      this.size += bytes.length;
    } catch (err) {
      // A line cut by a full disk is taken back, so every line in the file is whole.
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        /* the reader skips a cut last line */
      }
      this.fail(err);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      /* closing a log nothing more is written to */
    }
    this.fd = undefined;
  }

  private fail(err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code;
    this.warn(`cannot write ${this.path}: ${code ? describeWriteError(code) : (err as Error).message}; the event log stops here (run.json still records each run)`);
    this.close();
  }
}

/** Every whole line of dst_dir's event log, oldest first; none when there is no log. */
export function readEventLog(dstDir: string): LogLine[] {
  let text: string;
  try {
    text = readFileSync(join(dstDir, EVENTS_FILE), 'utf8');
  } catch {
    return [];
  }
  const lines: LogLine[] = [];
  for (const l of text.split('\n')) {
    if (!l) continue;
    try {
      const v = JSON.parse(l) as LogLine;
      if (v && typeof v === 'object' && typeof v.event === 'string') lines.push(v);
    } catch {
      /* a line cut by a crash of something other than the runner */
    }
  }
  return lines;
}

export interface CancelledRun {
  index: number;
  /** The runner that started it and is gone. */
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Runs the log shows started and never finished by a runner that is not running any
 * more (`runnerLive` says whether a sweep's runner still holds the dst_dir), by index.
 */
export function cancelledRuns(lines: readonly LogLine[], runnerLive: (pid: number, host: string) => boolean): Map<number, CancelledRun> {
  const open = new Map<number, LogLine>();
  for (const l of lines) {
    if (l.event === 'run_started') open.set(l.index, l);
    else if (l.event === 'run_finished') open.delete(l.index);
  }
  const out = new Map<number, CancelledRun>();
  for (const [index, l] of open) {
    if (!runnerLive(l.pid, l.host)) out.set(index, { index, pid: l.pid, host: l.host, startedAt: l.time });
  }
  return out;
}

/** The summary's error text of a cancelled run. */
export function cancelledText(c: CancelledRun): string {
  return `cancelled: its runner (pid ${c.pid}) ended while it ran, without recording it`;
}

/**
 * How the log last left each run that no live runner is running: its run_finished status
 * (and error), or cancelled. For a summary.json whose runner died before its last write.
 */
export function loggedOutcomes(dstDir: string): Map<number, { status: RunStatus | 'cancelled'; error: string | null }> {
  const lines = readEventLog(dstDir);
  const out = new Map<number, { status: RunStatus | 'cancelled'; error: string | null }>();
  for (const l of lines) {
    if (l.event === 'run_finished') out.set(l.index, { status: l.status, error: l.error ?? null });
    else if (l.event === 'run_started') out.delete(l.index);
  }
  for (const [index, c] of cancelledRuns(lines, runnerLiveIn(dstDir))) out.set(index, { status: 'cancelled', error: cancelledText(c) });
  return out;
}

/** The cancelled runs of dst_dir, as its event log and lock show them now. */
export function cancelledIn(dstDir: string): Map<number, CancelledRun> {
  return cancelledRuns(readEventLog(dstDir), runnerLiveIn(dstDir));
}

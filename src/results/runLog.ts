// log.txt of one run: appended as the run prints, so it can be followed while it runs.
// A write that fails (a full disk) never leaves a silently cut file: the log ends with a
// line saying it was cut, where and why, and nothing more is appended. That line goes
// where the log's space is already allocated (over its last bytes, when the disk has
// not a byte left), so marking the cut needs no free space.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { describeWriteError } from '../util/atomicWrite.js';

export interface LogCut {
  /** Bytes of output the log keeps. */
  atBytes: number;
  /** Why, e.g. "no space left on device (ENOSPC)". */
  reason: string;
}

export class RunLog {
  private fd?: number;
  private size = 0;
  private cutInfo?: LogCut;

  private constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** A fresh, empty log.txt (an earlier run's is replaced). */
  static start(path: string, warn: (message: string) => void): RunLog {
    const log = new RunLog(path, warn);
    log.fd = openSync(path, 'w');
    return log;
  }

  /** Set once the log was cut. */
  get cut(): LogCut | undefined {
    return this.cutInfo;
  }

  append(text: string): void {
    if (this.fd === undefined || !text) return;
    const bytes = Buffer.from(text);
    try {
      // A short write (the disk filled mid-way) counts what it wrote; the next one throws.
      for (let off = 0; off < bytes.length; ) {
        const n = writeSync(this.fd, bytes, off, bytes.length - off, this.size);
        off += n;
        this.size += n;
      }
    } catch (err) {
      this.markCut(err);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      /* nothing more is written to it */
    }
    this.fd = undefined;
  }

  private markCut(err: unknown): void {
    const fd = this.fd!;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code ? describeWriteError(code) : (err as Error).message;
    const note = (at: number) => Buffer.from(`\n--- log.txt cut here, after ${at} bytes: ${reason}; the rest of the run's output was not written ---\n`);
    // After the output if the last block has room, else over the output's last bytes.
    let at = this.size;
    let written = tryWrite(fd, note(at), at);
    if (!written) {
      at = Math.max(0, this.size - note(this.size).length);
      written = tryWrite(fd, note(at), at);
    }
    if (written) {
      try {
        ftruncateSync(fd, at + note(at).length);
      } catch {
        /* the note is there; a longer file only means more of the output */
      }
    }
    this.cutInfo = { atBytes: at, reason };
    this.warn(`cannot write ${this.path}: ${reason}; the log is cut after ${at} bytes${written ? ' and says so' : ' (the note saying so could not be written either)'}`);
    this.close();
  }
}

function tryWrite(fd: number, bytes: Buffer, at: number): boolean {
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, at + off);
    return true;
  } catch {
    return false;
  }
}

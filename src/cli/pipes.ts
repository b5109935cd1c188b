// A console that went away (`run-notebook ... 2>&1 | head -1`, a closed terminal, a killed
// `less`) must not kill the sweep: once a write to stdout or stderr fails with EPIPE, that
// stream's writes become no-ops, and the runner finishes every run, the summary and the index.
import type { Writable } from 'node:stream';

const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/** Installs the guard on process.stdout and process.stderr (once). */
export function ignoreClosedPipes(streams: Writable[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    if ((s as { __rnGuarded?: boolean }).__rnGuarded) continue;
    (s as { __rnGuarded?: boolean }).__rnGuarded = true;
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (!GONE.has(err.code ?? '')) throw err;
      silence(s);
    });
  }
}

/** Every later write succeeds at once and writes nothing (callbacks still run, so exits that wait for a drain go on). */
function silence(s: Writable): void {
  s.write = ((_chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as Writable['write'];
}

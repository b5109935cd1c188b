// The console side of a sweep: a live multi-line display on a TTY (log-update),
// one plain line per event when piped, and a closing list of failures.
import { createLogUpdate } from 'log-update';
import type { EventSink, RunStatus, SweepEvent } from './events.js';

interface Running {
  name: string;
  attempt: number;
  cell?: string;
  since: number;
}

export function createProgress(opts: { tty: boolean; logOutput: boolean; stream?: NodeJS.WriteStream }): { sink: EventSink; close(): void } {
  const out = opts.stream ?? process.stderr;
  const running = new Map<number, Running>();
  const failures: { index: number; name: string; headline: string }[] = [];
  const counts = { success: 0, failed: 0, aborted: 0, interrupted: 0 } as Record<RunStatus, number>;
  let total = 0;
  let threads = 1;
  const durations: number[] = [];
  const live = opts.tty ? createLogUpdate(out, { showCursor: true }) : undefined;
  let timer: NodeJS.Timeout | undefined;

  const line = (s: string) => {
    if (live) {
      live.clear();
      out.write(s + '\n');
      render();
    } else out.write(s + '\n');
  };

  const render = () => {
    if (!live) return;
    const done = counts.success + counts.failed + counts.aborted + counts.interrupted;
    const rows = [`${done}/${total} done · ${counts.success} ok · ${counts.failed} failed · ${running.size} running${eta(done)}`];
    for (const [idx, r] of [...running].sort((a, b) => a[0] - b[0]).slice(0, 12)) {
      const secs = Math.round((Date.now() - r.since) / 1000);
      rows.push(`  [${idx}] ${r.name}  ${r.cell ?? 'starting kernel'}${r.attempt > 1 ? `  (attempt ${r.attempt})` : ''}  ${secs}s`);
    }
    if (running.size > 12) rows.push(`  … and ${running.size - 12} more`);
    live(rows.join('\n'));
  };

  const eta = (done: number) => {
    if (!durations.length || done >= total) return '';
    const avg = durations.reduce((a, b) => a + b, 0) / durations.length;
    const secs = Math.round(((total - done) * avg) / Math.max(1, threads));
    return ` · ETA ${formatEta(secs)}`;
  };

  const sink: EventSink = (e: SweepEvent) => {
    switch (e.type) {
      case 'kernel':
        line(`run-notebook: ${e.description}`);
        break;
      case 'sweep-start':
        total = e.toRun;
        threads = e.threads;
        line(`run-notebook: ${e.total} configs, ${e.toRun} to run${e.upToDate ? `, ${e.upToDate} up to date` : ''}, ${e.threads} at a time`);
        if (live && !timer) timer = setInterval(render, 1000);
        break;
      case 'run-start':
        running.set(e.index, { name: e.name, attempt: e.attempt, since: Date.now() });
        if (!live) line(`start ${e.index} ${e.name}${e.attempt > 1 ? ` (attempt ${e.attempt}/${e.maxAttempts})` : ''}`);
        else render();
        break;
      case 'cell': {
        const r = running.get(e.index);
        if (r) r.cell = `cell ${e.ordinal}/${e.total}`;
        render();
        break;
      }
      case 'attempt-failed':
        // A final failure is reported by run-end.
        if (e.willRetry) line(`retry       ${e.index} ${e.name}: attempt ${e.attempt} failed: ${e.headline}`);
        break;
      case 'run-end':
        running.delete(e.index);
        counts[e.status]++;
        if (e.status === 'success') durations.push(e.durationSec);
        if (e.status === 'failed') failures.push({ index: e.index, name: e.name, headline: e.headline ?? 'failed' });
        if (!live || e.status !== 'success') line(`${e.status.padEnd(11)} ${e.index} ${e.name} ${e.durationSec.toFixed(1)}s${e.headline ? `: ${e.headline}` : ''}`);
        else render();
        break;
      case 'output':
        if (opts.logOutput) {
          const prefix = `[${e.index}] `;
          const text = e.text.endsWith('\n') ? e.text.slice(0, -1) : e.text;
          line(text.split('\n').map((l) => prefix + l).join('\n'));
        }
        break;
      case 'fail-fast':
        line(`stopping: ${e.message}`);
        break;
      case 'warning':
        line(`warning: ${e.message}`);
        break;
      case 'sweep-end':
        if (timer) clearInterval(timer);
        timer = undefined;
        live?.clear();
        live?.done();
        out.write(closingLines(e, failures));
        break;
    }
  };
  return {
    sink,
    close() {
      if (timer) clearInterval(timer);
      live?.done();
    },
  };
}

export function formatEta(secs: number): string {
  const m = Math.floor(secs / 60);
  const s = Math.round(secs % 60);
  return m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** The sweep's last lines: the failures, one each, then the counts (and where the index page is). */
function closingLines(e: Extract<SweepEvent, { type: 'sweep-end' }>, failures: { index: number; name: string; headline: string }[]): string {
  const c = e.counts;
  const parts = [`${c.success} succeeded`, `${c.failed} failed`];
  if (c.skipped) parts.push(`${c.skipped} up to date`);
  if (c.aborted) parts.push(`${c.aborted} aborted`);
  if (c.interrupted) parts.push(`${c.interrupted} interrupted`);
  let text = '';
  if (failures.length) {
    text += `failures:\n`;
    for (const f of [...failures].sort((a, b) => a.index - b.index)) text += `  ${f.index} ${f.name}: ${f.headline}\n`;
  }
  text += `${e.interrupted ? 'interrupted: ' : ''}${parts.join(', ')}\n`;
  if (e.indexHtml) text += `results: ${e.indexHtml}\n`;
  return text;
}

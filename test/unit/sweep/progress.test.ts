import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../../src/sweep/index.js';

function capture() {
  const chunks: string[] = [];
  const stream = { write: (s: string) => (chunks.push(s), true), columns: 100 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('plain progress (piped output)', () => {
  it('prints one line per event and closes with failures, counts and the index path', () => {
    const out = capture();
    const p = createProgress({ tty: false, logOutput: true, stream: out.stream });
    p.sink({ type: 'sweep-start', total: 3, toRun: 2, upToDate: 1, threads: 2 });
    p.sink({ type: 'run-start', index: 0, name: 'a=1', attempt: 1, maxAttempts: 2 });
    p.sink({ type: 'output', index: 0, stream: 'stdout', text: 'hello\nworld\n' });
    p.sink({ type: 'attempt-failed', index: 0, name: 'a=1', attempt: 1, headline: 'E: x (cell 2)', willRetry: true });
    p.sink({ type: 'run-start', index: 0, name: 'a=1', attempt: 2, maxAttempts: 2 });
    p.sink({ type: 'run-end', index: 0, name: 'a=1', status: 'failed', durationSec: 1.25, headline: 'E: x (cell 2)' });
    p.sink({ type: 'run-end', index: 2, name: 'a=3', status: 'success', durationSec: 0.5 });
    p.sink({ type: 'sweep-end', counts: { success: 1, failed: 1, aborted: 0, interrupted: 0, skipped: 1 }, indexHtml: '/o/index.html', interrupted: false });
    p.close();
    assert.equal(
      out.text(),
      [
        'run-notebook: 3 configs, 2 to run, 1 up to date, 2 at a time',
        'start 0 a=1',
        '[0] hello',
        '[0] world',
        'retry       0 a=1: attempt 1 failed: E: x (cell 2)',
        'start 0 a=1 (attempt 2/2)',
        'failed      0 a=1 1.3s: E: x (cell 2)',
        'success     2 a=3 0.5s',
        'failures:',
        '  0 a=1: E: x (cell 2)',
        '1 succeeded, 1 failed, 1 up to date',
        'results: /o/index.html',
        '',
      ].join('\n'),
    );
  });

  it('keeps cell output off the console without --log_output', () => {
    const out = capture();
    const p = createProgress({ tty: false, logOutput: false, stream: out.stream });
    p.sink({ type: 'output', index: 0, stream: 'stdout', text: 'secret output\n' });
    p.close();
    assert.equal(out.text(), '');
  });
});

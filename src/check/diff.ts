// Unified diff text of expected vs got, via the `diff` package.

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

const withNewline = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

/**
 * A unified diff (`--- expected <label>` / `+++ got <label>`, 3 lines of context), or `''` when
 * the texts are equal. Texts that differ only in a final newline get a one-line note instead of
 * an empty-looking diff.
 */
export function unifiedDiff(label: string, expected: string, got: string): string {
  if (expected === got) return '';
  const a = withNewline(expected);
  const b = withNewline(got);
  const head = `--- expected ${label}\n+++ got ${label}\n`;
  if (a === b) {
    const which = expected.endsWith('\n') ? 'expected' : 'got';
    return `${head}(the texts differ only in a final newline, which ${which} has)\n`;
  }
  const patch = createTwoFilesPatch(`expected ${label}`, `got ${label}`, a, b, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  return patch ?? wholeReplacement(head, a, b);
}

/**
 * Above this many line edits the diff gives up (Myers' algorithm costs time proportional to
 * lines x edits) and the whole texts are shown as one replacement hunk instead.
 */
export const MAX_EDIT_LENGTH = 1000;

function wholeReplacement(head: string, a: string, b: string): string {
  const lines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  const old = lines(a);
  const neu = lines(b);
  const range = (n: number) => `${n === 0 ? 0 : 1},${n}`;
  return (
    `${head}(more than ${MAX_EDIT_LENGTH} lines changed: showing both texts whole)\n` +
    `@@ -${range(old.length)} +${range(neu.length)} @@\n` +
    old.map((l) => `-${l}\n`).join('') +
    neu.map((l) => `+${l}\n`).join('')
  );
}

/**
 * The texts under one output key, joined for diffing. Several outputs under one key (two
 * `text/plain` results, say) are each introduced by an `[output N]` line.
 */
export function joinForDiff(values: readonly string[], forceMarkers: boolean): string {
  if (values.length === 1 && !forceMarkers) return values[0]!;
  return values.map((v, i) => `[output ${i + 1}]\n${withNewline(v)}`).join('');
}

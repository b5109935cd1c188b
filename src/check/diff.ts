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
  return createTwoFilesPatch(`expected ${label}`, `got ${label}`, a, b, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

/**
 * The texts under one output key, joined for diffing. Several outputs under one key (two
 * `text/plain` results, say) are each introduced by an `[output N]` line.
 */
export function joinForDiff(values: readonly string[], forceMarkers: boolean): string {
  if (values.length === 1 && !forceMarkers) return values[0]!;
  return values.map((v, i) => `[output ${i + 1}]\n${withNewline(v)}`).join('');
}

// The console report, the summary counts and the exit code of `run-notebook check`.

import type { CellResult, CellStatus, NotebookCheckResult } from './types.js';

export interface CheckSummary {
  cells: Record<CellStatus, number> & { total: number };
  notebooks: { passed: number; failed: number; total: number };
}

/** A notebook (under one config) fails when it has a notebook-level error or any cell failed or errored. */
export function notebookPassed(result: NotebookCheckResult): boolean {
  return !result.error && result.cells.every((c) => c.status === 'passed' || c.status === 'skipped');
}

export function summarizeResults(results: readonly NotebookCheckResult[]): CheckSummary {
  const cells = { passed: 0, failed: 0, error: 0, skipped: 0, total: 0 };
  const notebooks = { passed: 0, failed: 0, total: results.length };
  for (const r of results) {
    for (const c of r.cells) {
      cells[c.status]++;
      cells.total++;
    }
    if (notebookPassed(r)) notebooks.passed++;
    else notebooks.failed++;
  }
  return { cells, notebooks };
}

/** 1 on any mismatch or error, 0 otherwise (usage errors, 2, and interrupts, 130, are the CLI's). */
export function checkExitCode(results: readonly NotebookCheckResult[]): 0 | 1 {
  return results.every(notebookPassed) ? 0 : 1;
}

/**
 * E.g. `cells: 12 passed, 1 failed, 1 error, 3 skipped; notebooks: 2 passed, 1 failed`; an
 * experiment check has no cells: `configs: 2 passed, 1 failed`.
 */
export function formatSummaryLine(summary: CheckSummary, experiment = false): string {
  const c = summary.cells;
  const n = summary.notebooks;
  if (experiment) return `configs: ${n.passed} passed, ${n.failed} failed`;
  return (
    `cells: ${c.passed} passed, ${c.failed} failed, ${c.error} error${c.error === 1 ? '' : 's'}, ${c.skipped} skipped; ` +
    `notebooks: ${n.passed} passed, ${n.failed} failed`
  );
}

/** `notebooks/x.ipynb`, or `notebooks/x.ipynb · config 3 (lr=0.1)` in a sweep. */
export function resultLabel(r: Pick<NotebookCheckResult, 'notebook' | 'configIndex' | 'configName'>): string {
  if (r.configIndex === undefined && !r.configName) return r.notebook;
  const idx = r.configIndex !== undefined ? `config ${r.configIndex}` : 'config';
  return `${r.notebook} · ${idx}${r.configName ? ` (${r.configName})` : ''}`;
}

export interface ConsoleReportOptions {
  /** ANSI colors (for a TTY). Default false. */
  color?: boolean;
  /** Diff lines shown per cell before the rest is cut. Default 200. */
  maxDiffLines?: number;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function colorDiffLine(line: string, on: boolean): string {
  if (!on) return line;
  if (line.startsWith('---') || line.startsWith('+++')) return paint(on, '1', line);
  if (line.startsWith('@@')) return paint(on, '36', line);
  if (line.startsWith('-')) return paint(on, '31', line);
  if (line.startsWith('+')) return paint(on, '32', line);
  return line;
}

function formatCell(r: NotebookCheckResult, c: CellResult, opts: Required<ConsoleReportOptions>): string {
  const tag = c.status === 'error' ? 'ERROR' : 'FAIL';
  const lines = [`${paint(opts.color, '1;31', tag)} ${resultLabel(r)} · cell ${c.cellIndex + 1}: ${c.firstLine}`];
  if (c.message) lines.push(`  ${c.message}`);
  if (c.diff) {
    const diffLines = c.diff.replace(/\n$/, '').split('\n');
    const shown = diffLines.slice(0, opts.maxDiffLines);
    for (const l of shown) lines.push(`  ${colorDiffLine(l, opts.color)}`);
    if (diffLines.length > shown.length) {
      lines.push(`  … ${diffLines.length - shown.length} more diff lines (the JUnit report has them all)`);
    }
  }
  return lines.join('\n');
}

/**
 * For each mismatching or erroring cell: the notebook, the config index and name, the cell
 * number (1-based, counting every cell as the user wrote the notebook), its first source line, the message and the
 * unified diff; notebook-level errors; then one summary line. Ends with a newline.
 */
export function formatConsoleReport(results: readonly NotebookCheckResult[], options: ConsoleReportOptions = {}): string {
  const opts: Required<ConsoleReportOptions> = { color: false, maxDiffLines: 200, ...options };
  const blocks: string[] = [];
  for (const r of results) {
    if (r.error) blocks.push(`${paint(opts.color, '1;31', 'ERROR')} ${resultLabel(r)}: ${r.error}`);
    for (const c of r.cells) {
      if (c.status === 'failed' || c.status === 'error') blocks.push(formatCell(r, c, opts));
    }
  }
  const summary = summarizeResults(results);
  const line = formatSummaryLine(summary, results.length > 0 && results.every((r) => r.kind === 'experiment'));
  const painted = paint(opts.color, summary.notebooks.failed ? '1;31' : '1;32', line);
  return [...blocks, painted].join('\n\n') + '\n';
}

// The check stage: regression comparison of executed notebooks, sanitizers, diff text and
// reports. Pure: no kernel, no network; the only I/O is reading a sanitizer file.
//
// The `check` command (src/cli/check.ts) picks a mode with selectCheckMode(flags), runs each
// notebook (or each config) through the sweep with engineCellRules, then calls
//   judgeCheckedRun(run, mode, expected, opts)   → compareNotebooks / checkExecuted
// and hands the NotebookCheckResult[] to formatConsoleReport / toJUnitXml / checkExitCode.
// Goldens live at goldenPath(dir, idx, stem) and are recorded as goldenCopy(executed).

export type { CellResult, CellStatus, CompareOptions, NotebookCheckResult } from './types.js';
export { CheckError, SanitizerFileError } from './errors.js';
export { compareNotebooks, checkExecuted, pairCells, firstSourceLine, DEFAULT_EXCLUDE_TAGS } from './compare.js';
export type { CellPair } from './compare.js';
export { selectCheckMode } from './mode.js';
export type { CheckMode, CheckModeFlags } from './mode.js';
export { judgeCheckedRun, judgeExperimentRun } from './judge.js';
export type { CheckedExperimentRun, CheckedRun, Expected, ExpectedResults } from './judge.js';
export { goldenPath, goldenIndexOf, goldenCopy } from './golden.js';
export { cellCheckMode, engineCellRules, COMMENT_MARKERS, TAG_MARKERS } from './markers.js';
export type { CellCheckMode } from './markers.js';
export {
  DEFAULT_SANITIZERS,
  applySanitizers,
  loadSanitizers,
  parseSanitizerIni,
  parseSanitizerYaml,
  pythonRegex,
  pythonSanitizer,
  resolveSanitizers,
} from './sanitize.js';
export type { Sanitizer } from './sanitize.js';
export { COMPARED_TEXT_MIMES, NEVER_COMPARED_MIMES, isComparedMime, comparableOutputs, normalizeStreamText } from './normalize.js';
export { unifiedDiff } from './diff.js';
export {
  formatConsoleReport,
  formatSummaryLine,
  summarizeResults,
  checkExitCode,
  notebookPassed,
  resultLabel,
} from './report.js';
export type { CheckSummary, ConsoleReportOptions } from './report.js';
export { toJUnitXml } from './junit.js';
export type { JUnitOptions } from './junit.js';
export { compareResults, resultsMismatch, goldenResults, goldenResultsPath, goldenResultsFile, GOLDEN_RESULTS_FILE, type Tolerance } from './results.js';

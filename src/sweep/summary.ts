// The sweep at a glance: summary.json, summary.csv, summary.sqlite and index.html, kept
// up to date while the sweep runs (see src/results/writer.ts).
export { SummaryWriter, writeSummaryFiles, SUMMARY_SQLITE } from '../results/writer.js';
export type { SummaryRow } from '../results/types.js';

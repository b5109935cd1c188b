import type { SummaryRow } from '../../../src/results/types.js';

/** A summary row with plausible defaults. */
export function row(index: number, params: SummaryRow['params'], results: SummaryRow['results'], extra: Partial<SummaryRow> = {}): SummaryRow {
  return {
    index,
    name: `run${index}`,
    status: 'success',
    this_run: 'ran',
    attempts: 1,
    start_sec: 0.5,
    exec_sec: 1.25,
    total_sec: 1.8,
    server: 'http://127.0.0.1:8888/',
    host: '127.0.0.1',
    tags: [],
    description: null,
    params,
    results,
    error: null,
    notebook: `result_${index}/nb.ipynb`,
    html: null,
    artifacts: [],
    ...extra,
  };
}

// One attempt of an experiment run, in terms the notebook engine already knows: a
// one-cell notebook whose cell calls the function. The engine then gives the function
// everything a notebook cell gets (streams to log.txt, record(), timeouts, interrupts, a
// dead kernel as a result); this module turns what the cell left into the run's record.
import type { ExecutionOutcome } from '../execute/index.js';
import type { ErrorOutput, Notebook, Output } from '../notebook/types.js';
import { experimentRunCode } from './code.js';

const CELL_ID = 'run-experiment';

export interface ExperimentSpec {
  /** MODULE.FUNCTION as given. */
  target: string;
  /** Where the kernel resolves names, as it sees the folder. */
  builderDir: string;
}

/** The notebook an attempt executes (never saved). */
export function attemptNotebook(spec: ExperimentSpec, kernelName: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernelName, display_name: kernelName, language: 'python' } },
    cells: [{ cell_type: 'code', id: CELL_ID, source: experimentRunCode(spec.target, spec.builderDir), metadata: {}, outputs: [], execution_count: null }],
  } as Notebook;
}

export interface AttemptResult {
  /** What the function printed and displayed, and its error output. */
  outputs: Output[];
  /** The traceback as plain lines (ANSI colours kept; strip for text files). */
  traceback?: string;
  /** One line for the summary: "ValueError: bad lr", "timed out after 5s", ... */
  headline?: string;
}

/** The cell's outputs and a headline that names no cell (an experiment has none). */
export function attemptResult(nb: Notebook, outcome: ExecutionOutcome | undefined): AttemptResult {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && c.id === CELL_ID);
  const outputs = cell && cell.cell_type === 'code' ? cell.outputs : [];
  const error = outputs.find((o): o is ErrorOutput => o.output_type === 'error');
  const traceback = error ? (Array.isArray(error.traceback) && error.traceback.length ? error.traceback.join('\n') : `${error.ename}: ${error.evalue}`) : undefined;
  return { outputs, traceback, headline: outcome && outcome.status !== 'ok' ? experimentHeadline(outcome) : undefined };
}

export function experimentHeadline(outcome: ExecutionOutcome): string {
  switch (outcome.status) {
    case 'kernel_died':
      return 'the kernel died while the experiment ran';
    case 'interrupted':
      return 'interrupted';
    default:
      return outcome.reason ?? outcome.headline ?? outcome.status;
  }
}

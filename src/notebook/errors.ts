import { UsageError } from '../errors.js';

/**
 * A notebook file that cannot be used: missing, not JSON, not nbformat 4 (or 3), no cells.
 * The message is one line naming the file and the problem.
 */
export class NotebookFormatError extends UsageError {
  readonly source: string;

  constructor(source: string, problem: string, cause?: unknown) {
    super(`${source}: ${problem}`, { cause });
    this.source = source;
  }
}

/** Parameters that cannot be injected (unsupported kernel language). */
export class ParameterInjectionError extends UsageError {}

import { UsageError, UserError } from '../errors.js';

/** What went wrong with a builder; the Python helper reports the first five. */
export type ConfigBuilderErrorKind =
  | 'syntax' // the expression does not parse
  | 'raised' // the builder raised (detail: its traceback)
  | 'empty' // it returned None or an empty list
  | 'not-a-list' // it returned something that is not a list of configs
  | 'duplicates' // two configs are equal
  | 'sweep-file' // a sweep file is missing or malformed
  | 'parameters' // -p/-r/-f/-y values that are malformed or do not fit the configs
  | 'kernel' // the planning code itself failed in the kernel
  | 'output'; // the kernel printed no usable plan

/** A builder problem: one-line message, exit code 2; `detail` holds a traceback if any. */
export class ConfigBuilderError extends UserError {
  readonly kind: ConfigBuilderErrorKind;

  constructor(kind: ConfigBuilderErrorKind, message: string, opts: { detail?: string; cause?: unknown } = {}) {
    super(oneLine(message), { exitCode: 2, detail: opts.detail, cause: opts.cause });
    this.kind = kind;
  }
}

/** --index / --start_from_index / --sample that do not fit the plan: exit code 2. */
export class ConfigSelectionError extends UsageError {}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

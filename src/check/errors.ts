import { UsageError } from '../errors.js';

/**
 * Base class for errors raised by the check stage. `message` is one line, fit for
 * `error: <message>`. They are configuration errors, so the CLI exits with code 2.
 */
export class CheckError extends UsageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** A `--sanitize_with` file that cannot be read or parsed, or holds a regex that does not compile. */
export class SanitizerFileError extends CheckError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

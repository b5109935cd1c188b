/** Base class for errors raised by the check stage. `message` is one line, fit for `error: <message>`. */
export class CheckError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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

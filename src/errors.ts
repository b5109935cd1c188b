// Errors a user can act on. Every layer throws a subclass with a one-line message;
// the CLI prints that line (and the stack only with --verbose).

export class UserError extends Error {
  /** Process exit code the CLI uses when this error ends the run. */
  readonly exitCode: number;
  /** Extra lines worth showing (e.g. a Python traceback), printed after the message. */
  readonly detail?: string;

  constructor(message: string, opts: { exitCode?: number; cause?: unknown; detail?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? 2;
    this.detail = opts.detail;
  }
}

/** Bad flags or input files: exit 2. */
export class UsageError extends UserError {}

/** The Jupyter side could not be reached, started or used. */
export class JupyterError extends UserError {}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

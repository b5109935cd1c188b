// Flags → SweepOptions for the default command (and `configs`). The flags themselves are
// defined in ./flagTable.ts; this file only applies the table.
import type { Argv } from 'yargs';
import type { EngineOptions, SweepOptions } from '../sweep/index.js';
import { ENGINE_FLAGS, RUN_FLAGS, parseThreads } from './flagTable.js';
import { declareFlags, fromFlags, type ArgvValues } from './flags.js';

export { parseThreads };

/** The engine, server and selection options `run` and `check` share. */
export type SharedRunOptions = EngineOptions;

export function sweepFlags(y: Argv): Argv {
  return declareFlags(y, RUN_FLAGS);
}

/** argv → SweepOptions; UsageError (exit 2) on a missing or bad flag. `overrides` win over the flags. */
export function toSweepOptions(argv: ArgvValues, overrides: Partial<SweepOptions> = {}): SweepOptions {
  const values = overrides.dryRun ? { ...argv, dry_run: true } : argv;
  return { ...fromFlags(RUN_FLAGS, values, { cellRules: undefined }), ...overrides };
}

/** The engine, server and selection flags that `run` and `check` share. */
export function sharedRunOptions(argv: ArgvValues): SharedRunOptions {
  return fromFlags(ENGINE_FLAGS, argv, {});
}

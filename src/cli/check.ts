// `run-notebook check`: flags → CheckOptions, then runCheck (src/checkRun) on one server
// pool for every checked notebook. The flags are defined in ./flagTable.ts.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runCheck, type CheckOptions } from '../checkRun/index.js';
import { CHECK_FLAGS } from './flagTable.js';
import { withServerPool } from './interrupts.js';
import { declareFlags, fromFlags } from './flags.js';

export type { CheckOptions };

export function checkFlags(y: Argv): Argv {
  const a = y.positional('notebooks', { type: 'string', array: true, describe: 'Notebooks to check' }) as Argv;
  return declareFlags(a, CHECK_FLAGS);
}

/** Flags → CheckOptions. Throws UsageError (exit 2) on contradictory flags or a bad sanitizer file. */
export function toCheckOptions(argv: Record<string, unknown>): CheckOptions {
  return fromFlags(CHECK_FLAGS, argv, { color: !!process.stdout.isTTY && !process.env.NO_COLOR });
}

export const checkCommand: CommandModule = {
  command: 'check [notebooks..]',
  describe: 'CI check: run notebooks (or every config, or an experiment with --experiment_builder) and compare outputs or recorded results with the stored ones or with goldens',
  builder: (y: Argv) =>
    checkFlags(y)
      .example('$0 check notebooks/*.ipynb --junit_xml report.xml', 'rerun each notebook and compare with its stored outputs')
      .example('$0 check train.ipynb --config_builder sweep.yaml --golden_dir golden --rtol 1e-6', 'every config against golden runs')
      .example('$0 check notebooks/*.ipynb --smoke', 'only check that they run without an unexpected error'),
  handler: async (argv: ArgumentsCamelCase) => {
    const opts = toCheckOptions(argv);
    process.exitCode = await withServerPool(opts.engine, (pool, signal) => runCheck(opts, { pool, signal }));
  },
};

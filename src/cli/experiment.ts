// `run-notebook experiment` (also the `run-experiment` bin): a Python function once per
// config, with every flag a sweep has. The flags are defined in ./flagTable.ts.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { openExperimentTarget } from '../experiment/index.js';
import { createProgress, runSweep } from '../sweep/index.js';
import { withServerPool } from './interrupts.js';
import { EXPERIMENT_FLAGS } from './flagTable.js';
import { declareFlags, fromFlags } from './flags.js';
import { printPlan } from './run.js';

export const experimentCommand: CommandModule = {
  command: 'experiment',
  describe: 'Run a Python function (MODULE.FUNCTION) once per config of a builder, keeping every result',
  builder: (y: Argv) =>
    declareFlags(y, EXPERIMENT_FLAGS).example(
      '$0 experiment --experiment_builder mypkg.experiments.run --config_builder "mypkg.configs.build()" --dst_dir out --num_threads 2',
      'mypkg.experiments.run(config) once per config, in a fresh kernel each',
    ).example('run-experiment --experiment_builder trainer.run --config_builder sweep.yaml --dst_dir out --incremental', 'the same command as its own bin; rerun only what is missing or stale'),
  handler: async (argv: ArgumentsCamelCase) => {
    const opts = fromFlags(EXPERIMENT_FLAGS, argv, {});
    const progress = createProgress({ tty: !!process.stderr.isTTY && !process.env.CI, logOutput: opts.logOutput });
    try {
      const { experimentBuilder, ...sweep } = opts;
      // The sweep's --notebook stays empty: the experiment target replaces the notebook's.
      const sweepOpts = { ...sweep, notebook: '', allowErrors: false };
      const result = await withServerPool(sweepOpts, (pool, signal) => runSweep(sweepOpts, progress.sink, { pool, signal, openTarget: openExperimentTarget(experimentBuilder) }));
      if (opts.dryRun) printPlan(result.plan, opts.incremental);
      process.exitCode = result.exitCode;
    } finally {
      progress.close();
    }
  },
};

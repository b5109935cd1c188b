// The default command: run the notebook once per config. Also `configs`: the plan only.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { createProgress, runSweep, type PlannedRun } from '../sweep/index.js';
import { withServerPool } from './interrupts.js';
import { sweepFlags, toSweepOptions } from './runOptions.js';

export const runCommand: CommandModule = {
  command: '$0 [notebook]',
  describe: 'Run a notebook once per config of a builder, keeping every result',
  builder: (y: Argv) =>
    sweepFlags(y)
      .example('$0 train.ipynb --config_builder sweep.yaml --dst_dir out --num_threads 4', 'one run per config of the sweep file, 4 at a time')
      .example('$0 train.ipynb --config_builder "configs.build()" --dst_dir out --incremental', 'a Python builder; rerun only what is missing, failed or stale')
      .example('$0 report.ipynb -p region north -p year 2024 --dst_dir out', "one run with papermill's -p parameters"),
  handler: async (argv: ArgumentsCamelCase) => {
    const opts = toSweepOptions(argv);
    const progress = createProgress({ tty: !!process.stderr.isTTY && !process.env.CI, logOutput: opts.logOutput });
    try {
      const result = await withServerPool(opts, (pool, signal) => runSweep(opts, progress.sink, { pool, signal }));
      if (opts.dryRun) printPlan(result.plan, opts.incremental);
      process.exitCode = result.exitCode;
    } finally {
      progress.close();
    }
  },
};

export const configsCommand: CommandModule = {
  command: 'configs [notebook]',
  describe: 'Print the plan (index, state, name) without running anything',
  builder: (y: Argv) =>
    sweepFlags(y)
      .example('$0 configs train.ipynb --config_builder sweep.yaml', 'every config: index, name')
      .example('$0 configs train.ipynb --config_builder sweep.yaml --dst_dir out --incremental', 'which configs are new, done, stale or failed in out/'),
  handler: async (argv: ArgumentsCamelCase) => {
    const opts = toSweepOptions(argv, { dryRun: true });
    const result = await withServerPool(opts, (pool, signal) => runSweep(opts, () => undefined, { pool, signal }));
    printPlan(result.plan, opts.incremental);
  },
};

/** What this command would do: without --incremental every selected config runs (`run`); with it, each one's state. */
export function printPlan(plan: PlannedRun[], incremental: boolean): void {
  const stateOf = (p: PlannedRun) => (incremental ? p.state : 'run');
  const w = Math.max(5, ...plan.map((p) => String(p.config.index).length));
  const sw = Math.max(5, ...plan.map((p) => stateOf(p).length));
  process.stdout.write(`${'index'.padStart(w)}  ${'state'.padEnd(sw)}  name\n`);
  for (const p of plan) process.stdout.write(`${String(p.config.index).padStart(w)}  ${stateOf(p).padEnd(sw)}  ${p.config.name}\n`);
  if (!incremental) {
    process.stdout.write(`${plan.length} configs: ${plan.length} to run\n`);
    return;
  }
  const by = (s: string) => plan.filter((p) => p.state === s).length;
  const optional = (['failed', 'cancelled'] as const).map((s) => (by(s) ? `, ${by(s)} ${s}` : '')).join('');
  process.stdout.write(`${plan.length} configs: ${by('new')} new, ${by('done')} done, ${by('stale')} stale${optional}\n`);
}

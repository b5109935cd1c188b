// `run-notebook results DIR [DIR...]`: the sweep(s) as a table, filtered, grouped, sorted.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { FORMATS, formatResult, type Format } from '../results/query/format.js';
import { queryResults } from '../results/query/query.js';

const list = (v: unknown): string[] | undefined => {
  const items = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
};

export const resultsCommand: CommandModule = {
  command: 'results <dirs..>',
  describe: 'Print the results of one or more sweeps (their --dst_dir) as a table',
  builder: (y: Argv) =>
    y
      .positional('dirs', { type: 'string', array: true, describe: 'Sweep folders (a --dst_dir each); several are combined, with a "sweep" column' })
      .option('where', { type: 'string', describe: 'Keep rows matching EXPR, e.g. "lr<0.1 and status=success" (= != < <= > >= ~, and/or/not, parentheses)' })
      .option('sort', { type: 'string', array: true, describe: 'Sort by [-]COLUMN (- for descending); several: "-acc,lr" or repeat the flag' })
      .option('group_by', { type: 'string', describe: 'Average over PARAM (e.g. seed): one row per combination of the other parameters, results as mean ± std, with n' })
      .option('columns', { type: 'string', describe: 'Columns to show, comma-separated, in this order' })
      .option('format', { type: 'string', default: 'table', describe: `Output format: ${FORMATS.join(', ')}` })
      .example('run-notebook results out --where "status=success" --sort -accuracy', 'best runs first')
      .example('run-notebook results out --group_by seed --format markdown', 'mean ± std over seeds, as a markdown table')
      .example('run-notebook results runs/a runs/b --columns sweep,lr,accuracy --format csv', 'two sweeps in one CSV') as Argv,
  handler: async (argv: ArgumentsCamelCase) => {
    const format = String(argv.format ?? 'table');
    if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
    const dirs = (argv.dirs as unknown[] | undefined)?.map(String) ?? [];
    if (!dirs.length) throw new UsageError('missing DIR: the --dst_dir of a sweep');
    const result = queryResults({
      dirs,
      where: typeof argv.where === 'string' ? argv.where : undefined,
      sort: list(argv.sort),
      groupBy: typeof argv.group_by === 'string' ? argv.group_by : undefined,
      columns: list(argv.columns),
    });
    await new Promise<void>((res) => process.stdout.write(formatResult(result, format as Format), () => res()));
  },
};

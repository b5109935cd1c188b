// Which check a `run-notebook check` invocation does, decided from its flags alone.

import { notebookStem } from '../notebook/index.js';
import { UsageError } from '../errors.js';

/**
 * - `stored`: compare with the outputs saved in the notebook file (nbval).
 * - `smoke`: only check that everything runs without an unexpected error (nbmake).
 * - `golden`: compare each config with `golden_dir/result_<idx>/<notebook>.ipynb`.
 * - `update-golden`: run each config and (re)write its golden; nothing is compared.
 */
export type CheckMode = 'stored' | 'smoke' | 'golden' | 'update-golden';

export interface CheckModeFlags {
  notebooks: readonly string[];
  configBuilder?: string;
  smoke?: boolean;
  goldenDir?: string;
  updateGolden?: boolean;
  /** `--experiment_builder MODULE.FUNCTION`: check a function run per config instead of notebooks. */
  experimentBuilder?: string;
  /** The notebook-comparison flags given (`--lax`, ...), by name: an experiment check refuses them. */
  notebookFlags?: readonly string[];
}

/**
 * The mode, or a UsageError for flags that contradict each other:
 * `--update_golden` needs `--golden_dir`; `--smoke` excludes both; a sweep checks one
 * notebook; goldens of several notebooks need distinct file names. Without a golden dir a
 * sweep is smoke-checked: stored outputs belong to one run, not to every config.
 */
export function selectCheckMode(flags: CheckModeFlags): CheckMode {
  if (flags.experimentBuilder !== undefined) return experimentCheckMode(flags);
  if (flags.notebooks.length === 0) throw new UsageError('no notebook to check: pass NOTEBOOK... or --notebook');
  if (flags.updateGolden && !flags.goldenDir) throw new UsageError('--update_golden needs --golden_dir: the folder the goldens are written to');
  if (flags.smoke && flags.updateGolden) throw new UsageError('--smoke and --update_golden exclude each other');
  if (flags.smoke && flags.goldenDir) throw new UsageError('--smoke and --golden_dir exclude each other: a smoke check compares no outputs');
  if (flags.configBuilder && flags.notebooks.length > 1) {
    throw new UsageError(`--config_builder checks one notebook, but ${flags.notebooks.length} were given`);
  }
  if (flags.goldenDir) {
    const seen = new Map<string, string>();
    for (const nb of flags.notebooks) {
      const stem = notebookStem(nb);
      const other = seen.get(stem);
      if (other !== undefined && other !== nb) {
        throw new UsageError(`${other} and ${nb} would share the golden result_0/${stem}.ipynb: check them in separate runs with separate --golden_dir`);
      }
      seen.set(stem, nb);
    }
  }
  if (flags.smoke) return 'smoke';
  if (flags.updateGolden) return 'update-golden';
  if (flags.goldenDir) return 'golden';
  if (flags.configBuilder) return 'smoke';
  return 'stored';
}

/**
 * An experiment check compares recorded results, never notebook outputs: a notebook or a
 * notebook-comparison flag is refused, and there is no stored mode (smoke without goldens).
 */
function experimentCheckMode(flags: CheckModeFlags): CheckMode {
  const e = `--experiment_builder ${flags.experimentBuilder}`;
  if (flags.notebooks.length) throw new UsageError(`${e} checks a function, not notebooks: drop ${flags.notebooks[0]}`);
  if (!flags.configBuilder) throw new UsageError(`${e} needs --config_builder: the configs to run it with`);
  const flag = flags.notebookFlags?.[0];
  if (flag === '--allow_errors') throw new UsageError('--allow_errors does not apply to an experiment: an exception always fails its run');
  if (flag) throw new UsageError(`${flag} is about notebook outputs; an experiment check compares recorded results only (--golden_dir, --rtol, --atol)`);
  if (flags.updateGolden && !flags.goldenDir) throw new UsageError('--update_golden needs --golden_dir: the folder the goldens are written to');
  if (flags.smoke && (flags.goldenDir || flags.updateGolden)) throw new UsageError('--smoke excludes --golden_dir and --update_golden: a smoke check compares no results');
  if (flags.updateGolden) return 'update-golden';
  return flags.goldenDir ? 'golden' : 'smoke';
}

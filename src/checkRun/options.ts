// Everything one `run-notebook check` invocation needs, as typed values. The CLI fills it
// from flags (src/cli/flagTable.ts has one entry per field below).
import type { CheckMode, CompareOptions, Tolerance } from '../check/index.js';
import type { EngineOptions } from '../sweep/index.js';

export interface CheckOptions {
  /** As the user named them (relative paths stay relative in reports). */
  notebooks: string[];
  configBuilder?: string;
  /** `--experiment_builder MODULE.FUNCTION`: check this function once per config instead of notebooks. */
  experimentBuilder?: string;
  mode: CheckMode;
  goldenDir?: string;
  junitXml?: string;
  /** lax, compareImages, noDefaultSanitizers, sanitizers (from --sanitize_with), allowErrors. */
  compare: CompareOptions;
  /** Golden mode: how close recorded numbers must be to the golden's (--rtol, --atol). */
  tolerance: Tolerance;
  /** Keep executed notebooks here; default: a temporary folder removed at the end. */
  dstDir?: string;
  /** Notebooks (or configs of one sweep) run at once. */
  numThreads: number;
  /** Engine and selection settings handed to every sweep. */
  engine: EngineOptions;
  /** ANSI colors in the console report. */
  color: boolean;
}

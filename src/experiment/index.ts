// The experiment target: a Python function run once per config (`run-notebook
// experiment`), on the same machinery as a notebook sweep.
export { CHECK_PREFIX, RETURN_KEY, ExperimentBuilderError, experimentCheckCode, experimentRunCode, infoFromCheckOutput, type ExperimentInfo, type ModuleDigest } from './code.js';
export { experimentFingerprintPart } from './fingerprint.js';
export { checkExperiment, type PreflightOptions } from './preflight.js';
export { attemptNotebook, attemptResult, experimentHeadline, type AttemptResult, type ExperimentSpec } from './attempt.js';
export { EXPERIMENT_STEM, ExperimentTarget, openExperimentTarget } from './target.js';

// The config stage: from a --config_builder value to a ConfigPlan (configs with stable
// indices, JSON form, repr, readable names), index selection, and the per-run contract
// with the kernel-side helper (python/run_notebook). Pure: no Jupyter import.
export type { BuilderKind, ConfigFile, ConfigPlan, JSONValue, PlannedConfig, SelectOptions } from './types.js';
export { ConfigBuilderError, ConfigSelectionError, type ConfigBuilderErrorKind } from './errors.js';
export { builderKind } from './builder.js';
export { canonicalJson } from './canonical.js';
export { configFingerprintPart, TAGS_KEY, DESCRIPTION_KEY } from './fingerprint.js';
export { flattenParams, formatParamValue, runNames, shortKeys, varyingParamKeys } from './names.js';
export { sampleOf, seededRandom, selectIndices } from './select.js';
export { MAX_SWEEP_CONFIGS, planFromSweepFile, planFromSweepText, type SweepFileOptions } from './sweepFile.js';
export {
  PLAN_PREFIX,
  RECORD_MIME,
  builderErrorFromKernel,
  helperSource,
  helperSourcePath,
  planFromPythonOutput,
  pythonPlanCode,
} from './python.js';
export {
  buildPlan,
  configAt,
  configEnv,
  configFileContent,
  configFileText,
  exactJsonOf,
  exactParamsOf,
  configTextContent,
  noBuilderPlan,
  type BuildPlanOptions,
  type ConfigEnvOptions,
} from './plan.js';
export { injectConfig, injectionWarning } from './inject.js';
export { papermillValue, readParameters, withParameters, type ParameterFlags, type Parameters } from './parameters.js';

export { runSweep, type SweepDeps, type SweepResult, type PlannedRun, type PlanState } from './runSweep.js';
export { type SweepOptions, type EngineOptions, type ExperimentOptions, parseResources } from './options.js';
export { createServerPool } from './servers.js';
export { openNotebookTarget } from './notebookTarget.js';
export type { AttemptIO, FinishedRun, PreflightContext, ResolvedKernel, RunTarget, RunTargetOpener, TargetAttempt } from './target.js';
export { runPageHeader } from './runHeader.js';
export { createProgress } from './progress.js';
export type { SweepEvent, EventSink, RunStatus } from './events.js';

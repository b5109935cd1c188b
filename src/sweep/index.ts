export { runSweep, type SweepResult, type PlannedRun, type PlanState } from './runSweep.js';
export { type SweepOptions, type EngineOptions, parseResources } from './options.js';
export { createProgress, formatDuration } from './progress.js';
export type { SweepEvent, EventSink, RunStatus } from './events.js';

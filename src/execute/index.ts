export { clearExecution, executeNotebook, type ExecuteOptions } from './executeNotebook.js';
export { cellLabel, type ExecutionOutcome, type ExecutionStatus } from './outcome.js';

// Running `check`: each notebook (or each config of one sweep) through the sweep, then judged
// by the check stage. Above sweep/ and check/, below the CLI.
export type { CheckOptions } from './options.js';
export { runCheck } from './runCheck.js';

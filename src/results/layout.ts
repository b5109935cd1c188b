// Where every file of a sweep lives (see README "The run directory").
import { join } from 'node:path';

export const SWEEP_FILES = {
  manifest: 'sweep.json',
  index: 'index.html',
  summaryJson: 'summary.json',
  summaryCsv: 'summary.csv',
  lock: '.run-notebook.lock',
} as const;

export class RunLayout {
  readonly dir: string;
  constructor(
    dstDir: string,
    readonly index: number,
    readonly notebookStem: string,
  ) {
    this.dir = join(dstDir, `result_${index}`);
  }
  get notebook() {
    return join(this.dir, `${this.notebookStem}.ipynb`);
  }
  get html() {
    return join(this.dir, `${this.notebookStem}.html`);
  }
  get configJson() {
    return join(this.dir, 'config.json');
  }
  get configTxt() {
    return join(this.dir, 'config.txt');
  }
  get runJson() {
    return join(this.dir, 'run.json');
  }
  get log() {
    return join(this.dir, 'log.txt');
  }
  get success() {
    return join(this.dir, 'success.txt');
  }
}

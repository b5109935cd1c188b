// The HTML stage: executed notebook -> one self-contained page; sweep -> index.html.
// Pure: no kernel, no network. The only files read are the notebook's local images
// (RenderOptions.notebookDir) and KaTeX's fonts from node_modules.

export { renderNotebookHtml } from './notebook.js';
export { renderSweepIndexHtml } from './index/page.js';
export type { RenderOptions, RunHeader, SweepIndex, SweepIndexRow } from './types.js';
export { renderExperimentHtml, type ExperimentPage } from './experimentPage.js';

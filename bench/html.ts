// HTML rendering speed: a ~20 MB output-heavy notebook (images, long ANSI streams, pandas
// tables, markdown with math, a traceback), rendered with renderNotebookHtml, best of 3.
// Target: at most 1 s. Run directly: node --import tsx bench/html.ts

import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { renderNotebookHtml } from '../src/html/index.js';
import type { Cell, Notebook, Output } from '../src/notebook/types.js';

function table(rows: number, seed: number): string {
  const head = '<thead><tr style="text-align: right;"><th></th><th>lr</th><th>batch</th><th>activation</th><th>accuracy</th><th>loss</th></tr></thead>';
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    const x = Math.sin(seed * 31 + i) * 0.5 + 0.5;
    body.push(`<tr><th>${i}</th><td>${(x / 10).toFixed(4)}</td><td>${32 << (i % 3)}</td><td>${['relu', 'gelu', 'tanh'][i % 3]}</td><td>${x.toFixed(6)}</td><td>${(1 - x).toFixed(6)}</td></tr>`);
  }
  return `<div><style scoped>.dataframe tbody tr th { vertical-align: top; }</style><table border="1" class="dataframe">${head}<tbody>${body.join('\n')}</tbody></table><p>${rows} rows × 5 columns</p></div>`;
}

function stream(lines: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const loss = (2.5 * Math.exp(-i / 400) + 0.01 * ((seed + i) % 7)).toFixed(4);
    out.push(i % 50 === 0 ? `\u001b[1;32mepoch ${i / 50}\u001b[0m loss=${loss}` : `step ${i} loss=${loss} lr=0.003 <ok>`);
  }
  return out.join('\n') + '\n';
}

/** Builds the benchmark notebook: 60 cell groups, about 20 MB of JSON-equivalent text. */
export function buildHeavyNotebook(): Notebook {
  const cells: Cell[] = [];
  const png = (n: number): string => randomBytes(n).toString('base64');
  for (let k = 0; k < 60; k++) {
    cells.push({ cell_type: 'markdown', metadata: {}, source: `## Step ${k}\n\nThe loss $\\mathcal{L}_{${k}} = \\sum_i (y_i - \\hat y_i)^2$ over **${k * 100}** samples.\n\n| a | b |\n|---|---|\n| 1 | 2 |` });
    const outputs: Output[] = [
      { output_type: 'stream', name: 'stdout', text: stream(2000, k) },
      { output_type: 'display_data', data: { 'image/png': png(180_000), 'text/plain': '<Figure size 640x480 with 1 Axes>' }, metadata: { 'image/png': { width: 640 } } },
      { output_type: 'execute_result', execution_count: k + 1, data: { 'text/html': table(250, k), 'text/plain': 'DataFrame' }, metadata: {} },
    ];
    if (k % 20 === 19) {
      outputs.push({ output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[31mValueError\u001b[39m Traceback', `\u001b[32m----> 1\u001b[39m fit(model, step=${k})`, '\u001b[31mValueError\u001b[39m: bad'] });
    }
    cells.push({
      cell_type: 'code',
      metadata: {},
      execution_count: k + 1,
      source: `import numpy as np\nfor epoch in range(${k}):\n    loss = train_step(model, batch)  # step ${k}\n    print(f"step {epoch} loss={loss:.4f}")\ndf.head(250)`,
      outputs,
    });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells,
  };
}

function notebookMegabytes(nb: Notebook): number {
  return Buffer.byteLength(JSON.stringify(nb)) / 1e6;
}

export async function benchHtml(): Promise<{ megabytes: number; seconds: number }> {
  const nb = buildHeavyNotebook();
  const megabytes = notebookMegabytes(nb);
  renderNotebookHtml(buildHeavyNotebook()); // warm-up: module loading, KaTeX fonts, JIT
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const html = renderNotebookHtml(nb, { title: 'bench' });
    const dt = (performance.now() - t0) / 1000;
    if (html.length < megabytes * 1e6 * 0.5) throw new Error('bench: the page is suspiciously small');
    best = Math.min(best, dt);
  }
  return { megabytes: Math.round(megabytes * 10) / 10, seconds: Math.round(best * 1000) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchHtml();
  process.stdout.write(`html: rendered a ${r.megabytes} MB notebook in ${r.seconds} s (best of 3; target <= 1 s)\n`);
}

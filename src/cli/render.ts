// `run-notebook render <notebook> [-o out.html] [--trust] [--no_input]`: one notebook to one
// self-contained HTML page. Flags in snake_case with kebab-case aliases; no other logic.
import { basename, dirname, extname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { renderNotebookHtml } from '../html/index.js';
import { readNotebook } from '../notebook/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

export interface RenderFileOptions {
  notebook: string;
  /** Output path; default: the notebook's path with .html; '-' for stdout. */
  output?: string;
  trust?: boolean;
  noInput?: boolean;
  title?: string;
}

/** Where `render` writes when no -o is given: beside the notebook, `.ipynb` -> `.html`. */
export function defaultOutputPath(notebook: string): string {
  const ext = extname(notebook);
  return (ext ? notebook.slice(0, -ext.length) : notebook) + '.html';
}

/**
 * Reads, renders and writes one notebook. Returns the path written ('-' for stdout).
 * Throws NotebookFormatError (a UsageError, exit 2) for a missing or bad notebook.
 */
export async function renderNotebookFile(o: RenderFileOptions): Promise<string> {
  const nb = await readNotebook(o.notebook);
  const stem = basename(o.notebook, extname(o.notebook));
  const html = renderNotebookHtml(nb, {
    trust: o.trust === true,
    noInput: o.noInput === true,
    notebookDir: dirname(resolve(o.notebook)),
    title: o.title ?? stem,
  });
  const out = o.output ?? defaultOutputPath(o.notebook);
  if (out === '-') {
    await new Promise<void>((res, rej) => process.stdout.write(html, (err) => (err ? rej(err) : res())));
    return out;
  }
  if (resolve(out) === resolve(o.notebook)) throw new UsageError(`refusing to overwrite the notebook itself: ${out}`);
  await writeFileAtomic(out, html);
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export const renderCommand: CommandModule = {
  command: 'render <notebook>',
  describe: 'Render a notebook as one self-contained HTML page',
  builder: (y: Argv) =>
    y
      .positional('notebook', { type: 'string', describe: 'The notebook (.ipynb) to render' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output file (default: <notebook>.html beside it; "-" for stdout)' })
      .option('trust', { type: 'boolean', default: false, describe: 'Keep raw HTML and JavaScript (only for notebooks you trust)' })
      .option('no_input', { type: 'boolean', default: false, describe: 'Hide code input and prompts, as nbconvert --no-input' })
      // `--no-input` reaches yargs as the negation of `input`; declare it so both spellings work.
      .option('input', { type: 'boolean', hidden: true })
      .option('title', { type: 'string', describe: "Page title (default: the notebook's file name)" })
      .example('$0 render out/result_3/train.ipynb', 'writes out/result_3/train.html')
      .example('$0 render report.ipynb --no_input -o report.html', 'outputs only, as nbconvert --no-input') as Argv,
  handler: async (argv: ArgumentsCamelCase) => {
    const notebook = str(argv.notebook);
    if (!notebook) throw new UsageError('missing <notebook>: the notebook to render');
    const out = await renderNotebookFile({
      notebook,
      output: str(argv.output),
      trust: argv.trust === true,
      noInput: argv.no_input === true || argv.input === false,
      title: str(argv.title),
    });
    if (out !== '-') process.stderr.write(`wrote ${out}\n`);
  },
};

#!/usr/bin/env node
// Entry point: parses the command line and maps errors to one line and an exit code.
import { createRequire } from 'node:module';
import type Yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError, UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { configsCommand, runCommand } from './run.js';
import { renderCommand } from './render.js';
import { checkCommand } from './check.js';
import { resultsCommand } from './results.js';
import { experimentCommand } from './experiment.js';
import { normalizeArgs } from './argv.js';
import { ignoreClosedPipes } from './pipes.js';

// yargs' ESM build wraps help text in the middle of words (yargs#2112, fixed in yargs 18,
// which needs a newer Node 20); its CommonJS build wraps at word boundaries.
const yargs = createRequire(import.meta.url)('yargs') as typeof Yargs;

export async function main(args: string[]): Promise<number> {
  ignoreClosedPipes();
  const verbose = args.includes('--verbose');
  // @jupyterlab/services logs to the console: every WebSocket it opens (debug), reconnects
  // (warn) and a server traceback on any HTTP 500 (error). The runner reports those
  // failures itself, in one line; the library's own lines are for --verbose only.
  if (!verbose) console.debug = console.warn = console.error = () => undefined;
  try {
    await yargs(normalizeArgs(args))
      .scriptName('run-notebook')
      .command(runCommand)
      .command(configsCommand)
      .command(renderCommand)
      .command(checkCommand)
      .command(resultsCommand)
      .command(experimentCommand)
      .strictOptions()
      .parserConfiguration({ 'camel-case-expansion': false })
      .wrap(helpWidth())
      .fail((msg, err) => {
        // yargs' own parse errors (YError: a flag without its value) are usage errors too.
        throw err && err.name !== 'YError' ? err : new UsageError(msg ?? err?.message);
      })
      .help()
      .alias('h', 'help')
      .version(VERSION)
      .parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`error: ${err.message}\n`);
      if (err.detail) process.stderr.write(err.detail.endsWith('\n') ? err.detail : err.detail + '\n');
      if (verbose && err.stack) process.stderr.write(err.stack + '\n');
      return err.exitCode;
    }
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    if (verbose && (err as Error)?.stack) process.stderr.write((err as Error).stack + '\n');
    return 1;
  }
}

/** Help is wrapped to the terminal (or $COLUMNS when piped), at most 120 columns for readability. */
function helpWidth(): number {
  const cols = process.stdout.columns || Number(process.env.COLUMNS) || 100;
  return Math.max(40, Math.min(120, cols));
}

const code = await main(hideBin(process.argv));
// Exit once stdout and stderr have drained: a pipe (`--dry_run | less`) gets every line.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

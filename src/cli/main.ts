#!/usr/bin/env node
// Entry point: parses the command line and maps errors to one line and an exit code.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../errors.js';
import { configsCommand, runCommand } from './run.js';
import { renderCommand } from './render.js';
import { checkCommand } from './check.js';
import { resultsCommand } from './results.js';
import { experimentCommand } from './experiment.js';

export async function main(args: string[]): Promise<number> {
  const verbose = args.includes('--verbose');
  // @jupyterlab/services logs to the console: every WebSocket it opens (debug), reconnects
  // (warn) and a server traceback on any HTTP 500 (error). The runner reports those
  // failures itself, in one line; the library's own lines are for --verbose only.
  if (!verbose) console.debug = console.warn = console.error = () => undefined;
  try {
    await yargs(joinDashValues(args))
      .scriptName('run-notebook')
      .command(runCommand)
      .command(configsCommand)
      .command(renderCommand)
      .command(checkCommand)
      .command(resultsCommand)
      .command(experimentCommand)
      .strictOptions()
      .parserConfiguration({ 'camel-case-expansion': false })
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        throw err ?? new UserError(msg);
      })
      .help()
      .version()
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

/** `--sort -acc` would read as the short flags -a -c -c: keep a value that starts with '-' on its flag. */
function joinDashValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--sort' && args[i + 1]?.startsWith('-') && !args[i + 1]!.startsWith('--')) out.push(`--sort=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

const code = await main(hideBin(process.argv));
// Exit once stdout and stderr have drained: a pipe (`--dry_run | less`) gets every line.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

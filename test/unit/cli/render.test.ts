// `run-notebook render`: the command module driven through yargs in-process, and the
// real entry point in a child process for exit codes and the one-line error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import yargs from 'yargs';
import { defaultOutputPath, renderCommand } from '../../../src/cli/render.js';
import { UsageError } from '../../../src/errors.js';

const fixture = resolve('fixtures/html/traceback.ipynb');
const images = resolve('fixtures/html/images.ipynb');

async function runRender(args: string[]): Promise<void> {
  await yargs(args)
    .command(renderCommand)
    .strictOptions()
    .parserConfiguration({ 'camel-case-expansion': false })
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .exitProcess(false)
    .parseAsync();
}

function sourceCells(html: string): number {
  return html.slice(html.indexOf('<body')).match(/<pre class="rn-source">/g)?.length ?? 0;
}

describe('render command', () => {
  test('writes the page to -o, embedding local images', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-render-'));
    const out = join(dir, 'sub', 'images.html');
    await runRender(['render', images, '-o', out]);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>images<\/title>/);
    assert.match(html, /<img src="data:image\/png;base64,[^"]+" alt="local diagram"/);
  });

  test('--no_input and --no-input both hide code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-render-'));
    await runRender(['render', fixture, '-o', join(dir, 'a.html')]);
    await runRender(['render', fixture, '-o', join(dir, 'b.html'), '--no_input']);
    await runRender(['render', fixture, '--output', join(dir, 'c.html'), '--no-input']);
    assert.equal(sourceCells(readFileSync(join(dir, 'a.html'), 'utf8')), 2);
    assert.equal(sourceCells(readFileSync(join(dir, 'b.html'), 'utf8')), 0);
    assert.equal(sourceCells(readFileSync(join(dir, 'c.html'), 'utf8')), 0);
  });

  test('--trust drops the CSP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-render-'));
    await runRender(['render', fixture, '-o', join(dir, 't.html'), '--trust']);
    assert.doesNotMatch(readFileSync(join(dir, 't.html'), 'utf8'), /Content-Security-Policy/);
  });

  test('without -o the page goes beside the notebook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rn-render-'));
    const nb = join(dir, 'x.ipynb');
    writeFileSync(nb, readFileSync(fixture));
    await runRender(['render', nb]);
    assert.ok(existsSync(join(dir, 'x.html')));
    assert.equal(defaultOutputPath('a/b.ipynb'), 'a/b.html');
    assert.equal(defaultOutputPath('noext'), 'noext.html');
  });

  test('a missing or broken notebook is a usage error (exit code 2)', async () => {
    await assert.rejects(runRender(['render', '/no/such/file.ipynb']), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /file not found/.test(e.message));
    const dir = mkdtempSync(join(tmpdir(), 'rn-render-'));
    writeFileSync(join(dir, 'bad.ipynb'), '{"cells": [');
    await assert.rejects(runRender(['render', join(dir, 'bad.ipynb')]), (e: unknown) => e instanceof UsageError && e.exitCode === 2);
  });
});

describe('render through the CLI entry point', () => {
  const main = resolve('src/cli/main.ts');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, 'render', ...args], { encoding: 'utf8', timeout: 60_000 });

  test('exits 2 with one error line for a missing file', () => {
    const r = run(['/no/such/notebook.ipynb']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'error: /no/such/notebook.ipynb: file not found\n');
    assert.equal(r.stdout, '');
  });

  test('-o - writes the page to stdout', () => {
    const r = run([fixture, '-o', '-']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^<!DOCTYPE html>/);
    assert.match(r.stdout, /ZeroDivisionError/);
  });
});

// --help and -h, per command: only that command's flags, wrapped at word boundaries to the
// terminal's width ($COLUMNS when piped), required flags marked, 2-3 examples at the end,
// and --version from package.json. No server is started.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, readJson, runCli } from './support.js';

const WIDTH = 72;

async function help(args: string[]): Promise<string> {
  const r = await runCli(args, { env: { COLUMNS: String(WIDTH) } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The flag names listed under "Options:". */
function flagsOf(text: string): string[] {
  const options = text.slice(text.indexOf('\nOptions:\n'), text.indexOf('\nExamples:\n') >>> 0);
  return [...options.matchAll(/^\s+(?:-\w, )?--(\w+)/gm)].map((m) => m[1]!);
}

function examplesOf(text: string): string[] {
  const at = text.indexOf('\nExamples:\n');
  assert.ok(at >= 0, 'help has examples');
  return text.slice(at + 11).split('\n').filter((l) => /^ {2}(run-notebook|run-experiment)\b/.test(l));
}

describe('help', () => {
  it('-h is --help; lines fit the width and break between words; required flags are marked', async () => {
    const [long, short] = await Promise.all([help(['--help']), help(['-h'])]);
    assert.equal(short, long);
    for (const line of long.split('\n')) assert.ok(line.length <= WIDTH, `longer than ${WIDTH}: ${line}`);
    // Every flag name and every word of a description is whole on one line.
    const words = new Set(long.split(/\s+/));
    for (const f of ['--config_builder', '--start_from_index', '--server_grace', 'interrupted', 'fingerprint']) assert.ok(words.has(f) || [...words].some((w) => w.startsWith(f)), `${f} is not split`);
    assert.match(long, /--notebook\s+The notebook to run[^[]*\[required\]/);
    assert.match(long, /--dst_dir\s+Where results go[^[]*\[required\]/);
    const examples = examplesOf(long);
    assert.ok(examples.length >= 2 && examples.length <= 3, examples.join('\n'));
  });

  it('each subcommand lists only its own flags, with its own examples', async () => {
    const [run, check, results, experiment, render] = await Promise.all([help(['-h']), help(['check', '--help']), help(['results', '-h']), help(['experiment', '--help']), help(['render', '-h'])]);
    assert.ok(flagsOf(run).includes('incremental') && flagsOf(run).includes('dry_run'));
    assert.ok(flagsOf(check).includes('golden_dir') && !flagsOf(check).includes('incremental') && !flagsOf(check).includes('warm'));
    assert.deepEqual(flagsOf(results).filter((f) => !['help', 'version'].includes(f)), ['where', 'sort', 'group_by', 'columns', 'format']);
    assert.ok(flagsOf(experiment).includes('experiment_builder') && !flagsOf(experiment).includes('notebook'));
    assert.match(experiment, /--experiment_builder\s+The function to run[^[]*\[required\]/);
    assert.ok(!flagsOf(render).includes('dst_dir'));
    for (const [name, text] of Object.entries({ check, results, experiment, render })) {
      const examples = examplesOf(text);
      assert.ok(examples.length >= 2 && examples.length <= 3, `${name}: ${examples.join('\n')}`);
      assert.ok(examples.every((e) => e.includes(name === 'experiment' ? 'experiment' : name)), `${name}'s examples use ${name}`);
    }
  });

  it('--version is the package version; kebab-case flags are the snake_case ones', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.stdout.trim(), readJson<{ version: string }>(join(ROOT, 'package.json')).version);
    const dry = await runCli(['--dry-run', '--notebook', join(ROOT, 'notebooks', 'demo.ipynb'), '--config-builder', join(ROOT, 'notebooks', 'sweep.yaml'), '--start-from-index', '4']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^2 configs/m);
  });
});

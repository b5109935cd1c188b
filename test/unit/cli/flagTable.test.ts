// The flag table is the one definition of every flag: README's flag tables must list exactly
// the flags it defines, and a table that misses an options field (or has an extra one) must
// not compile (the @ts-expect-error lines below fail `tsc` if that ever stops being true).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHECK_FLAGS, ENGINE_FLAGS, RUN_FLAGS } from '../../../src/cli/flagTable.js';
import { boolean, flagsOf, fromFlags, string, type FlagSpec, type FlagTable } from '../../../src/cli/flags.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The `--flag` names in the first column of the markdown table under `heading` (up to the next heading). */
function readmeFlags(heading: string, after = 0): Set<string> {
  const start = README.indexOf(`\n${heading}\n`, after);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const rest = README.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) >>> 0 || rest.length);
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`--([a-z_]+)/g)) names.add(m[1]!);
  }
  return names;
}

/** What a reader types: visible flags; an on-by-default switch is documented by its --no_ form. */
function documentedNames(flags: FlagSpec[]): Set<string> {
  return new Set(flags.filter((f) => !f.hidden).map((f) => (f.type === 'boolean' && f.default === true ? `no_${f.name}` : f.name)));
}

describe('the flag table', () => {
  it("README's run flag table lists every flag of run, and no other", () => {
    assert.deepEqual([...readmeFlags('### Every flag')].sort(), [...documentedNames(flagsOf(RUN_FLAGS))].sort());
  });

  it("README's check flag table lists every flag of check, and no other", () => {
    const checkSection = README.indexOf('## Notebooks in CI');
    assert.deepEqual([...readmeFlags('### Flags', checkSection)].sort(), [...documentedNames(flagsOf(CHECK_FLAGS))].sort());
  });

  it('run and check share the engine flags: same names, same help text', () => {
    const engine = flagsOf(ENGINE_FLAGS);
    for (const table of [flagsOf(RUN_FLAGS), flagsOf(CHECK_FLAGS)]) {
      for (const f of engine) assert.deepEqual(table.find((g) => g.name === f.name), f);
    }
  });

  it('no flag is defined twice within a command', () => {
    for (const flags of [flagsOf(RUN_FLAGS), flagsOf(CHECK_FLAGS)]) {
      const names = flags.map((f) => f.name);
      assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
    }
  });

  it('fills options from argv, with the command-set fields given', () => {
    interface Opts { name?: string; loud: boolean; fixed: number }
    const table: FlagTable<Opts, 'fixed'> = { name: string('name', 'a name'), loud: boolean('loud', 'shout'), fixed: null };
    assert.deepEqual(fromFlags(table, { name: 'x', loud: true }, { fixed: 3 }), { name: 'x', loud: true, fixed: 3 });
    assert.deepEqual(fromFlags(table, { name: '' }, { fixed: 1 }), { name: undefined, loud: false, fixed: 1 });
  });

  it('is typed against its options type', () => {
    interface Opts { name?: string; loud: boolean }
    // @ts-expect-error an options field without a flag does not compile
    const missing: FlagTable<Opts> = { name: string('name', 'a name') };
    // @ts-expect-error a flag without an options field does not compile
    const extra: FlagTable<Opts> = { name: string('name', 'a name'), loud: boolean('loud', 'shout'), other: boolean('other', 'x') };
    // @ts-expect-error a flag whose value type differs from the field's does not compile
    const wrong: FlagTable<Opts> = { name: boolean('name', 'a name'), loud: boolean('loud', 'shout') };
    assert.ok(missing && extra && wrong);
  });
});

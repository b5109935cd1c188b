// serializeNotebook must produce the bytes Python's nbformat.write produces. Every case
// here is checked against the project venv's nbformat.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseNotebook, readNotebook, serializeNotebook, writeNotebook, writeNotebookSync } from '../../../src/notebook/index.js';
import type { Notebook, Output } from '../../../src/notebook/types.js';
import { assertValidNotebook } from '../../helpers/nbschema.js';
import { pythonNbformatWrite } from '../../helpers/pynbformat.js';

const fixture = (name: string) => path.join('fixtures', 'notebook', name);
const text = (name: string) => readFileSync(fixture(name), 'utf8');

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters chosen to stress line splitting, escaping and key sorting.
const ALPHABET = [
  'a', 'Z', ' ', '"', "'", '\\', '/', '\n', '\r', '\r\n', '\t', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029',
  '\x00', '\x01', '\x1b', '\x7f', 'é', 'ß', '中', '\uffff', '\ue000', '😀', '𝄞', '\u200b', '\ufeff',
];

function randomString(rand: () => number, maxLen = 12): string {
  let s = '';
  const len = Math.floor(rand() * maxLen);
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function randomFloat(rand: () => number): number {
  const exp = Math.floor(rand() * 34) - 20; // below 1e14: integral doubles past 2^53 are ambiguous (int or float) once in JS
  const x = (rand() - 0.5) * 10 ** exp;
  return Number.isInteger(x) ? x + 0.5 : x;
}

function randomNotebook(seed: number): Notebook {
  const rand = rng(seed);
  const meta: Record<string, string | number> = {};
  for (let i = 0; i < 20; i++) meta[randomString(rand, 4)] = rand() < 0.5 ? randomString(rand) : randomFloat(rand);
  const outputs: Output[] = [
    { output_type: 'stream', name: 'stdout', text: randomString(rand, 40) },
    {
      output_type: 'display_data',
      data: { 'text/plain': randomString(rand, 40), 'text/markdown': randomString(rand, 40), 'application/json': { k: randomString(rand), n: randomFloat(rand) } },
      metadata: { nested: { deeper: [randomFloat(rand), Math.floor(rand() * 1e9), randomString(rand)] } },
    },
    { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': randomString(rand, 40) }, metadata: {} },
    { output_type: 'error', ename: randomString(rand), evalue: randomString(rand), traceback: [randomString(rand, 30), randomString(rand, 30)] },
  ];
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: randomString(rand) }, random: meta },
    cells: [
      { id: 'c1', cell_type: 'markdown', metadata: {}, source: randomString(rand, 60), attachments: { 'a.txt': { 'text/plain': randomString(rand, 30) } } },
      { id: 'c2', cell_type: 'code', metadata: { tags: ['t' + randomString(rand)] }, source: randomString(rand, 60), execution_count: 7, outputs },
      { id: 'c3', cell_type: 'raw', metadata: {}, source: '' },
    ],
  };
}

// All cases go to Python in one batch (importing nbformat costs about a second).
const ROUND_TRIP = ['rich.ipynb', 'compact.ipynb'];
const UPGRADED = ['v4.4-no-ids.ipynb', 'v3.ipynb'];
const upgradedText = UPGRADED.map((n) => serializeNotebook(parseNotebook(text(n), n)));
const upgradedDir = mkdtempSync(path.join(tmpdir(), 'nbwrite-'));
const upgradedFiles = UPGRADED.map((n, i) => {
  const p = path.join(upgradedDir, n);
  writeNotebookSync(p, parseNotebook(upgradedText[i]!, n));
  return p;
});
const RANDOM = Array.from({ length: 25 }, (_, i) => randomNotebook(i + 1));
const EMPTIES: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { e: '', l: [], o: {}, deep: { a: { b: { c: {} } } } },
  cells: [{ id: 'x', cell_type: 'code', metadata: {}, source: '', execution_count: null, outputs: [{ output_type: 'stream', name: 'stdout', text: '' }] }],
};
const pyOut = pythonNbformatWrite([
  ...ROUND_TRIP.map((n) => ({ file: fixture(n) })),
  ...upgradedFiles.map((file) => ({ file })),
  ...RANDOM.map((nb) => ({ json: JSON.stringify(nb) })),
  { json: JSON.stringify(EMPTIES) },
]);
const expectedRoundTrip = pyOut.slice(0, 2);
const expectedUpgraded = pyOut.slice(2, 4);
const expectedRandom = pyOut.slice(4, 4 + RANDOM.length);
const expectedEmpties = pyOut[4 + RANDOM.length];

test('Python round trip: canonical and compact fixture files give identical bytes', () => {
  ROUND_TRIP.forEach((name, i) => {
    const mine = serializeNotebook(parseNotebook(text(name), name));
    assert.equal(mine, expectedRoundTrip[i], `${name}: differs from Python nbformat`);
  });
  // The canonical fixture is already in Python's form, so it must come back unchanged.
  assert.equal(serializeNotebook(parseNotebook(text('rich.ipynb'), 'rich')), text('rich.ipynb'));
});

test('the rich fixture keeps floats, big ints, NaN and code-point key order as Python writes them', () => {
  const out = serializeNotebook(parseNotebook(text('compact.ipynb'), 'compact'));
  for (const literal of ['1.0,', '-0.0,', '1e-05,', '1e+16,', '1000000000000000.0,', '9007199254740993,', '12345678901234567890,', 'NaN', '-Infinity', '5e-324']) {
    assert.ok(out.includes(literal), `missing ${literal}`);
  }
  assert.ok(out.indexOf('"\uffff": 1') < out.indexOf('"😀": 2'), 'U+FFFF sorts before U+1F600, by code point');
});

test('Python reads our upgraded 4.4 and v3 notebooks and writes the same bytes back', () => {
  UPGRADED.forEach((n, i) => assert.equal(upgradedText[i], expectedUpgraded[i], n));
});

test('in-memory notebooks (random unicode, line breaks, floats) serialize as Python does', () => {
  RANDOM.forEach((nb, i) => {
    const mine = serializeNotebook(nb);
    assert.equal(mine, expectedRandom[i], `random notebook ${i + 1}`);
    assertValidNotebook(mine, `random notebook ${i + 1}`);
  });
});

test('empty strings, empty lists and empty objects', () => {
  const mine = serializeNotebook(EMPTIES);
  assert.equal(mine, expectedEmpties);
  assert.ok(mine.includes('"source": []'));
  assert.ok(mine.includes('"text": []'));
});

test('the serializer does not modify the notebook', () => {
  const nb = parseNotebook(text('rich.ipynb'), 'rich');
  const before = structuredClone(nb);
  serializeNotebook(nb);
  assert.deepEqual(nb, before);
});

test('writeNotebook writes atomically and reads back equal', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbwrite-'));
  const target = path.join(dir, 'sub', 'dir', 'out.ipynb');
  const nb = parseNotebook(text('rich.ipynb'), 'rich');
  await writeNotebook(target, nb);
  assert.equal(readFileSync(target, 'utf8'), text('rich.ipynb'));
  assert.deepEqual(readdirSync(path.dirname(target)), ['out.ipynb']);
  assert.deepEqual(await readNotebook(target), nb);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  INJECTED_PARAMETERS_TAG,
  injectParameters,
  ParameterInjectionError,
  parametersSource,
  translatorFor,
} from '../../../src/notebook/index.js';
import type { Cell, JSONValue, Notebook } from '../../../src/notebook/types.js';
import { assertValidNotebook } from '../../helpers/nbschema.js';
import { venvPython } from '../../helpers/pynbformat.js';

function cell(id: string, source: string, tags?: string[]): Cell {
  return { id, cell_type: 'code', metadata: tags ? { tags } : {}, source, execution_count: null, outputs: [] };
}

function nb(...cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

const ids = (n: Notebook) => n.cells.map((c) => (c.metadata.tags?.includes(INJECTED_PARAMETERS_TAG) ? 'INJ' : c.id));

test('injected right after the first parameters cell', () => {
  const n = nb(cell('a', 'import x'), cell('p', 'lr = 0.1', ['parameters']), cell('b', 'train(lr)'), cell('p2', '', ['parameters']));
  const injected = injectParameters(n, { lr: 0.5 }, 'python');
  assert.deepEqual(ids(n), ['a', 'p', 'INJ', 'b', 'p2']);
  assert.equal(injected.cell_type, 'code');
  assert.deepEqual(injected.metadata, { tags: ['injected-parameters'] });
  assert.match(injected.id!, /^[0-9a-f]{8}$/);
  assert.equal(injected.source, '# Parameters\nlr = 0.5\n');
  assertValidNotebook(n);
});

test('at the top when no cell is tagged parameters, as papermill does', () => {
  const n = nb(cell('a', 'x'), cell('b', 'y'));
  injectParameters(n, { a: 1 }, 'python');
  assert.deepEqual(ids(n), ['INJ', 'a', 'b']);
});

test('existing injected-parameters cells are replaced, never stacked', () => {
  const n = nb(cell('old1', 'a = 0', ['injected-parameters']), cell('p', '', ['parameters']), cell('old2', 'a = 0', ['injected-parameters']), cell('b', ''));
  injectParameters(n, { a: 1 }, 'python');
  injectParameters(n, { a: 2 }, 'python');
  assert.deepEqual(ids(n), ['p', 'INJ', 'b']);
  assert.match(n.cells[1]!.source, /^a = 2$/m);
});

test('an unknown language throws before the notebook is touched', () => {
  const n = nb(cell('old', 'a = 0', ['injected-parameters']));
  assert.throws(
    () => injectParameters(n, { a: 1 }, 'scala'),
    (err: unknown) => err instanceof ParameterInjectionError && /"scala".*python, R, julia/.test(err.message),
  );
  assert.deepEqual(ids(n), ['INJ']);
});

test('Python literals evaluate back to the same values', () => {
  const params: Record<string, JSONValue> = {
    s: "it's \"quoted\" \\ back\nslash\ttab\r\x00\x7f\u2028é😀",
    empty: '',
    i: 42,
    neg: -7,
    big: 9007199254740991,
    f: 0.1,
    tiny: 1e-7,
    huge: 1.5e300,
    t: true,
    no: false,
    none: null,
    lst: [1, 'two', [3.5, null], {}],
    d: { 'a key': { nested: [true] }, "q'uote": 'v', '': 0 },
    _private: 'ok',
    Ünïcode: 1,
  };
  const source = parametersSource(params, 'python');
  const script = `import json, sys\nns = {}\nexec(sys.stdin.read(), ns)\nns.pop('__builtins__')\nprint(json.dumps(ns))`;
  const back = JSON.parse(execFileSync(venvPython(), ['-c', script], { input: source, encoding: 'utf8' }));
  assert.deepEqual(back, params);
});

test('NaN and infinities become float() calls in Python', () => {
  const source = parametersSource({ a: NaN, b: Infinity, c: -Infinity }, 'python');
  const script = `import math, sys\nns = {}\nexec(sys.stdin.read(), ns)\nprint(math.isnan(ns['a']), ns['b'] == math.inf, ns['c'] == -math.inf)`;
  assert.equal(execFileSync(venvPython(), ['-c', script], { input: source, encoding: 'utf8' }).trim(), 'True True True');
});

test('keys that are not identifiers are skipped with a comment; the source stays valid Python', () => {
  const source = parametersSource({ 'my-key': 1, class: 2, '1x': 3, 'line\nbreak': 4, ok: 5 }, 'python');
  assert.equal(
    source,
    [
      '# Parameters',
      "# skipped 'my-key': not a valid python variable name",
      "# skipped 'class': not a valid python variable name",
      "# skipped '1x': not a valid python variable name",
      "# skipped 'line\\nbreak': not a valid python variable name",
      'ok = 5',
      '',
    ].join('\n'),
  );
  const out = execFileSync(venvPython(), ['-c', 'import sys; ns = {}; exec(sys.stdin.read(), ns); print(ns["ok"])'], { input: source, encoding: 'utf8' });
  assert.equal(out.trim(), '5');
});

test('R and julia literals', () => {
  const params = { s: 'a "b" $x\n', n: 1.5, i: 3, t: true, z: null, l: [1, 'a'], d: { k: false }, nan: NaN, 'bad-name': 1 };
  assert.equal(
    parametersSource(params, 'R'),
    [
      '# Parameters',
      's <- "a \\"b\\" $x\\n"',
      'n <- 1.5',
      'i <- 3',
      't <- TRUE',
      'z <- NULL',
      'l <- list(1, "a")',
      'd <- list("k" = FALSE)',
      'nan <- NaN',
      '# skipped "bad-name": not a valid R variable name',
      '',
    ].join('\n'),
  );
  assert.equal(
    parametersSource(params, 'Julia'),
    [
      '# Parameters',
      's = "a \\"b\\" \\$x\\n"',
      'n = 1.5',
      'i = 3',
      't = true',
      'z = nothing',
      'l = [1, "a"]',
      'd = Dict("k" => false)',
      'nan = NaN',
      '# skipped "bad-name": not a valid julia variable name',
      '',
    ].join('\n'),
  );
});

test('language names are matched loosely', () => {
  assert.equal(translatorFor('Python').language, 'python');
  assert.equal(translatorFor('python3').language, 'python');
  assert.equal(translatorFor('r').language, 'R');
  assert.equal(translatorFor('julia').language, 'julia');
});

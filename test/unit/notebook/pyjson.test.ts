import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compareCodePoints, dumpValue, JsonSyntaxError, parseJson, pythonFloatRepr } from '../../../src/notebook/pyjson.js';
import { venvPython } from '../../helpers/pynbformat.js';

function python(script: string, input: unknown): unknown {
  return JSON.parse(execFileSync(venvPython(), ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' }));
}

function doublesFromBits(count: number): number[] {
  const out: number[] = [];
  const view = new DataView(new ArrayBuffer(8));
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed);
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) out.push(x);
  }
  return out;
}

test("pythonFloatRepr matches Python's repr(float) on edge cases and random doubles", () => {
  const values = [
    0.1, 0.5, 1.5, -2.25, 1 / 3, 2 / 3, 1e-4, 1.5e-4, 9.99e-5, 1e-5, 1e15, 1e16, 1.5e16, 123456789012345.6, 1e22, 1e21, 1e100, 1e-100,
    5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, Math.PI, -Math.E, 0.30000000000000004, 100.5, 9007199254740993.5,
    ...doublesFromBits(3000),
    ...Array.from({ length: 400 }, (_, i) => (i - 200) * 1.37 * 10 ** ((i % 45) - 22)),
  ];
  // Python gets the exact doubles through their hex form.
  const expected = python(
    'import json,sys; print(json.dumps([repr(float.fromhex(h)) for h in json.load(sys.stdin)]))',
    values.map((v) => toHex(v)),
  ) as string[];
  values.forEach((v, i) => assert.equal(pythonFloatRepr(v), expected[i], `value ${v}`));
  assert.equal(pythonFloatRepr(0), '0.0');
  assert.equal(pythonFloatRepr(-0), '-0.0');
  assert.equal(pythonFloatRepr(NaN), 'NaN');
  assert.equal(pythonFloatRepr(-Infinity), '-Infinity');
});

/** A double as Python's float.hex() input, e.g. 0x1.8p+0. */
function toHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const exp = (hi >>> 20) & 0x7ff;
  const mant = ((hi & 0xfffff).toString(16).padStart(5, '0') + lo.toString(16).padStart(8, '0'));
  if (exp === 0) return `${sign}0x0.${mant}p-1022`;
  return `${sign}0x1.${mant}p${exp - 1023}`;
}

test('parseJson accepts what json.loads accepts, including NaN and Infinity', () => {
  assert.deepEqual(parseJson(' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} '), { a: [1, -2500, true, false, null, 'xé\n'], b: {} });
  const special = parseJson('[NaN, Infinity, -Infinity]') as number[];
  assert.ok(Number.isNaN(special[0]));
  assert.equal(special[1], Infinity);
  assert.equal(special[2], -Infinity);
  assert.equal(parseJson('"\\ud83d\\ude00"'), '😀');
  const proto = parseJson('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('parseJson reports the line and column of a syntax error', () => {
  const cases: Array<[string, string, number, number]> = [
    ['{"a": 1,\n "b" 2}', "expected ':'", 2, 6],
    ['[1, 2', 'unexpected end of input', 1, 6],
    ['{"a": 01}', "expected ',' or '}'", 1, 8],
    ['{"a": "x\ty"}', 'control character in string', 1, 9],
    ['{"a": "\\q"}', 'invalid escape in string', 1, 7],
    ['[1] x', 'unexpected text after the JSON value', 1, 5],
    ['{\n\n  nope}', 'expected a property name in double quotes', 3, 3],
    ['"abc', 'unterminated string', 1, 1],
  ];
  for (const [text, reason, line, column] of cases) {
    assert.throws(
      () => parseJson(text),
      (err: unknown) => err instanceof JsonSyntaxError && err.reason === reason && err.line === line && err.column === column,
      JSON.stringify(text),
    );
  }
});

test('integral floats and big ints keep their Python form until the value changes', () => {
  const doc = parseJson('{"f": 1.0, "g": 2, "z": -0.0, "big": 12345678901234567890, "e": 1e16, "l": [3.0]}') as Record<string, unknown>;
  const dump = (v: unknown) => {
    const out: string[] = [];
    dumpValue(out, v, 0);
    return out.join('');
  };
  assert.equal(dump(doc), '{\n "big": 12345678901234567890,\n "e": 1e+16,\n "f": 1.0,\n "g": 2,\n "l": [\n  3.0\n ],\n "z": -0.0\n}');
  doc.f = 2;
  (doc.l as number[])[0] = 4;
  assert.equal(dump(doc), '{\n "big": 12345678901234567890,\n "e": 1e+16,\n "f": 2,\n "g": 2,\n "l": [\n  4\n ],\n "z": -0.0\n}');
});

test('compareCodePoints sorts as Python sorts str', () => {
  const keys = ['a', 'B', '', 'é', '\uffff', '\ue000', '😀', '𝄞', 'ab', 'a\u0000', '\ud7ff', 'Z'];
  const expected = python('import json,sys; print(json.dumps(sorted(json.load(sys.stdin))))', keys) as string[];
  assert.deepEqual([...keys].sort(compareCodePoints), expected);
});

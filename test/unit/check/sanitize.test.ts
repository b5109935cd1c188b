import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  DEFAULT_SANITIZERS,
  SanitizerFileError,
  applySanitizers,
  loadSanitizers,
  parseSanitizerIni,
  parseSanitizerYaml,
  pythonRegex,
  pythonSanitizer,
} from '../../../src/check/index.js';
import { FIXTURES } from './helpers.js';

const file = (name: string) => join(FIXTURES, 'sanitizers', name);
const defaults = (s: string) => applySanitizers(s, DEFAULT_SANITIZERS);

test('built-in: memory addresses, 8 to 16 hex digits only', () => {
  assert.equal(defaults('<Foo object at 0x7f3a1c2b4d50>'), '<Foo object at 0x<ADDRESS>>');
  assert.equal(defaults('ptr 0x00000001a2b3c4d5 end'), 'ptr 0x<ADDRESS> end');
  assert.equal(defaults('mask 0xff and 0x1f2e3d'), 'mask 0xff and 0x1f2e3d', 'short hex literals are data');
});

test('built-in: ISO-8601 date-times with T or space, fractions and offsets; bare dates are kept', () => {
  assert.equal(defaults('at 2026-11-20T17:40:55.123456+01:00.'), 'at <TIMESTAMP>.');
  assert.equal(defaults('at 2026-11-20T17:40:55Z'), 'at <TIMESTAMP>');
  assert.equal(defaults('at 2026-11-20 17:40:55,123'), 'at <TIMESTAMP>');
  assert.equal(defaults('at 2026-11-20T17:40'), 'at <TIMESTAMP>');
  assert.equal(defaults('on 2026-11-20 only'), 'on 2026-11-20 only');
});

test('built-in: UUIDs in either case', () => {
  assert.equal(defaults("UUID('3F1C8E9A-2b7d-4c55-9e0f-8a1b2c3d4e5f')"), "UUID('<UUID>')");
  assert.equal(defaults('3f1c8e9a-2b7d-4c55-9e0f-8a1b2c3d4e5'), '3f1c8e9a-2b7d-4c55-9e0f-8a1b2c3d4e5', 'one digit short');
});

test('built-in: temp paths on Linux, macOS and Windows, but not tmp inside another path', () => {
  assert.equal(defaults("open('/tmp/tmpab12/x.csv')"), "open('<TEMP_PATH>')");
  assert.equal(defaults('/var/tmp/abc/d and /private/tmp/q'), '<TEMP_PATH> and <TEMP_PATH>');
  assert.equal(defaults('cache=/var/folders/zz/zyx_n0/T/tmpq9/c.db, ok'), 'cache=<TEMP_PATH>, ok');
  assert.equal(defaults('C:\\Users\\ann\\AppData\\Local\\Temp\\tmp1\\a.txt'), '<TEMP_PATH>');
  assert.equal(defaults("'C:\\\\Users\\\\ann\\\\AppData\\\\Local\\\\Temp\\\\tmp1'"), "'<TEMP_PATH>'", 'repr with doubled backslashes');
  assert.equal(defaults('/home/ann/tmp/file.txt'), '/home/ann/tmp/file.txt');
  assert.equal(defaults('/tmp: No such file'), '/tmp: No such file', 'the bare root is not random');
});

test('Python regex syntax is translated: named groups, backrefs, inline flags, \\A \\Z, literal ] first in a class', () => {
  assert.equal('seed=42'.replace(pythonRegex('(?P<k>seed)=(?P=k)?\\d+'), '$<k>'), 'seed');
  assert.ok(pythonRegex('(?i)warning').test('WARNING'));
  assert.ok(pythonRegex('(?s)a.b').test('a\nb'));
  assert.ok(pythonRegex('\\Aabc').test('abc'));
  assert.ok(!pythonRegex('\\Aabc').test('xabc'));
  assert.ok(pythonRegex('abc\\Z').test('xabc'));
  assert.ok(!pythonRegex('abc\\Z').test('abcx'));
  assert.ok(pythonRegex('[]x]').test(']'));
  assert.ok(pythonRegex('a(?#comment)b').test('ab'));
  assert.throws(() => pythonRegex('(?x) a b'), /verbose/);
});

test('Python replacement templates: \\1, \\g<name>, \\g<0>, escapes; $ is literal', () => {
  const s = pythonSanitizer('t', '(<[a-zA-Z_][0-9a-zA-Z_.]* at )(0x[0-9a-fA-F]+)(>)', '\\1MEMORY_ADDRESS\\3');
  assert.equal(applySanitizers('<a.B at 0xdead>', [s]), '<a.B at MEMORY_ADDRESS>');
  assert.equal(applySanitizers('k=v', [pythonSanitizer('t', '(?P<k>\\w)=(\\w)', '\\g<2>=\\g<k> $1 \\g<0>')]), 'v=k $1 k=v');
  assert.equal(applySanitizers('a', [pythonSanitizer('t', 'a', 'x\\ty\\\\z')]), 'x\ty\\z');
  assert.equal(applySanitizers('a', [pythonSanitizer('t', '(a)|(b)', '[\\2]')]), '[]', 'an unmatched group is empty');
  assert.throws(() => pythonSanitizer('t', '(a)', '\\2'), /group 2/);
  assert.throws(() => pythonSanitizer('t', '(a)', '\\g<nope>'), /group nope/);
  assert.throws(() => pythonSanitizer('t', 'a', '\\q'), /bad escape/);
});

test('nbval INI: sections ignored, several pairs per section, order kept, Python syntax', () => {
  const s = loadSanitizers(file('nbval-style.cfg'));
  assert.equal(s.length, 5);
  const out = applySanitizers('on 12/31/2025 at 10:11:12 <x.Y at 0x1f> seed=7 Warning', s);
  assert.equal(out, 'on DATE-STAMP at TIME-STAMP <x.Y at MEMORY_ADDRESS> seed=N W');
  assert.match(s[0]!.name, /nbval-style\.cfg line 2$/);
});

test('nbval INI: the value is everything after "regex: " (trailing spaces count), CRLF files work', () => {
  const [s] = parseSanitizerIni('[x]\r\nregex: a \r\nreplace: b\r\n');
  assert.equal(applySanitizers('a a', [s!]), 'ba');
});

test('nbval INI: broken files are SanitizerFileErrors with the place', () => {
  assert.throws(() => loadSanitizers(file('missing-replace.cfg')), (e: unknown) => {
    assert.ok(e instanceof SanitizerFileError);
    assert.match(e.message, /missing-replace\.cfg: line 2: regex: must be followed on the next line by replace:/);
    return true;
  });
  assert.throws(() => loadSanitizers(file('broken-regex.cfg')), /broken-regex\.cfg: line 2: invalid regex/);
  assert.throws(() => parseSanitizerIni('[a]\nfoo = bar\n', 'x.cfg'), /x\.cfg: no regex:\/replace: pairs found/);
  assert.throws(() => loadSanitizers(file('nope.cfg')), /nope\.cfg: no such file/);
});

test('YAML list form: same semantics as INI; broken entries are errors', () => {
  const [s] = loadSanitizers(file('elapsed.yaml'));
  assert.equal(applySanitizers('took 3.14 s', [s!]), 'took N.NN s');
  assert.throws(() => loadSanitizers(file('broken.yaml')), /broken\.yaml: entry 2: regex must be a non-empty string/);
  assert.throws(() => parseSanitizerYaml('regex: a\nreplace: b\n', 'm.yaml'), /expected a list/);
  assert.throws(() => parseSanitizerYaml('- {regex: a, replace: b, flags: i}', 'm.yaml'), /unknown key flags/);
  assert.equal(parseSanitizerYaml('[{"regex": "\\\\d", "replace": 0}]', 'j.json').length, 1, 'JSON is YAML; a number replace is its text');
});

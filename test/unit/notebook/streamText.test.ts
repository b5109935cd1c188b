import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamText, resolveStreamText } from '../../../src/notebook/index.js';

/**
 * A deliberately naive model of JupyterLab's rules, written from its description: one
 * string and a cursor, every edit rebuilding the string. Quadratic, but obviously right.
 */
function naive(chunks: string[]): string {
  let text = '';
  let cursor = 0;
  for (const chunk of chunks) {
    for (const ch of chunk) {
      if (ch === '\n') {
        text += '\n';
        cursor = text.length;
      } else if (ch === '\r') {
        while (cursor > 0 && text[cursor - 1] !== '\n') cursor--;
      } else if (ch === '\b') {
        if (cursor > 0 && text[cursor - 1] !== '\n') {
          text = text.slice(0, cursor - 1) + text.slice(cursor + 1);
          cursor--;
        }
      } else {
        text = text.slice(0, cursor) + ch + text.slice(cursor + ch.length);
        cursor += ch.length;
      }
    }
  }
  return text;
}

test('carriage return and backspace, as in JupyterLab', () => {
  const cases: Array<[string, string]> = [
    ['plain text\n', 'plain text\n'],
    ['hello\rhi\n', 'hillo\n'],
    ['0%\r50%\r100%\n', '100%\n'],
    ['a\r\nb', 'a\nb'],
    ['abc\b\bd', 'ad'],
    ['a\n\bb', 'a\nb'],
    ['\b\b\rx', 'x'],
    ['line1\nline2\rLINE\n', 'line1\nLINE2\n'],
    // JupyterLab's backspace also drops the character under the cursor when the cursor is not at the end.
    ['abcd\rx\b', 'cd'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(resolveStreamText(input), expected, JSON.stringify(input));
    assert.equal(naive([input]), expected, `model: ${JSON.stringify(input)}`);
  }
});

test('the result does not depend on how the text is split into messages', () => {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const alphabet = ['a', 'b', 'c', '\n', '\r', '\b', 'é', '😀', '\r\n'];
  for (let round = 0; round < 300; round++) {
    const chunks: string[] = [];
    const n = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) {
      let s = '';
      const len = Math.floor(rand() * 10);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      chunks.push(s);
    }
    const st = new StreamText();
    for (const c of chunks) st.append(c);
    assert.equal(st.text, naive(chunks), JSON.stringify(chunks));
    assert.equal(st.text, resolveStreamText(chunks.join('')), JSON.stringify(chunks));
  }
});

test('a 10 MB stream in 100,000 small messages, with progress-bar rewrites', () => {
  const st = new StreamText();
  const expected: string[] = [];
  const line = 'x'.repeat(90);
  for (let i = 0; i < 100_000; i++) {
    if (i % 10 === 9) {
      // a progress bar: rewritten in place, then finished by a newline
      st.append(`\r${i} ${'#'.repeat(i % 50)}`);
      st.append(`\rdone ${i}\n`);
      expected.push(`done ${i}`.padEnd(`${i} ${'#'.repeat(i % 50)}`.length, '#') + '\n');
    } else {
      st.append(`${line}${String(i).padStart(8, '0')}\n`);
      expected.push(`${line}${String(i).padStart(8, '0')}\n`);
    }
  }
  const text = st.text;
  assert.ok(text.length > 9_000_000, `length ${text.length}`);
  assert.equal(text, expected.join(''));
});

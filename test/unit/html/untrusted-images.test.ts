// Image data and metadata are untrusted: checked base64, escaped attributes, sizes that are numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderNotebookHtml } from '../../../src/html/index.js';
import { isBase64 } from '../../../src/html/images.js';
import { bodyOf, code, display, notebook, PNG_1PX } from './helpers.js';

describe('untrusted image data', () => {
  test('isBase64 accepts padded standard base64 only', () => {
    assert.ok(isBase64(PNG_1PX.replace(/\s+/g, '')));
    for (const bad of ['', 'abc', 'ab"c', 'ab c', 'a===', '====', '-_-_', 'AAAA"><script>']) assert.equal(isBase64(bad), false, bad);
  });

  test('invalid data becomes a placeholder, sizes that are not numbers are dropped, in trusted pages too', () => {
    for (const trust of [false, true]) {
      const html = bodyOf(
        renderNotebookHtml(
          notebook([
            code('a', [display({ 'image/png': 'AAAA"><script>x()</script>' })]),
            code('b', [display({ 'image/jpeg': ['/9j/', "' onerror='x()"] })]),
            code('c', [display({ 'image/png': PNG_1PX }, { 'image/png': { width: '5" onload="x()', height: 7 } })]),
          ]),
          { trust },
        ),
      );
      assert.doesNotMatch(html, /<script|onerror=|onload=/);
      assert.equal(html.match(/rn-bad-image/g)?.length, 2);
      assert.match(html, /<img class="rn-image" alt="output image" src="data:image\/png;base64,[A-Za-z0-9+/=]+" height="7">/);
    }
  });
});

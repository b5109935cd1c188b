import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { renderNotebookHtml } from '../../../src/html/index.js';
import { readNotebook } from '../../../src/notebook/index.js';
import { cellHtml } from './helpers.js';

// fixtures/fidelity/widgets-saved.ipynb: one widget view per code cell, state in metadata.widgets.
let html = '';
before(async () => {
  html = renderNotebookHtml(await readNotebook(resolve('fixtures/fidelity/widgets-saved.ipynb')));
});
const cell = (i: number) => cellHtml(html, i);

describe('static widget views from saved widget state', () => {
  test('a slider shows its label, a disabled track and its saved value, not the repr it was displayed with', () => {
    assert.match(cell(0), /<div class="rn-widget rn-widget-IntSliderModel"[^>]*><span class="rn-widget-label">Speed<\/span><input type="range" disabled min="0" max="10" step="any" value="7"[^>]*><span class="rn-widget-value">7<\/span><\/div>/);
    assert.doesNotMatch(cell(0), /value=3/);
  });

  test('readout_format .2f is applied', () => {
    assert.match(cell(1), /<span class="rn-widget-value">0\.50<\/span>/);
  });

  test('button, dropdown and checkbox', () => {
    assert.match(cell(2), /<button type="button" disabled>Go<\/button>/);
    assert.match(cell(3), /Color<\/span><select disabled><option>green<\/option><\/select>/);
    assert.match(cell(4), /<input type="checkbox" disabled checked> Enabled/);
  });

  test('hostile state values are escaped or dropped', () => {
    assert.match(cell(5), /&quot;&gt;&lt;script&gt;/);
    assert.doesNotMatch(cell(5), /<script|onfocus=/);
    assert.match(cell(5), /min=""/, 'a non-number min is dropped');
    assert.match(cell(6), /<b>bold<\/b>/);
    assert.doesNotMatch(cell(6), /<script|onerror/);
  });

  test('an image widget shows its saved bytes; invalid bytes get the visible placeholder', () => {
    assert.match(cell(7), /<img class="rn-image" alt="image widget" src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="20">/);
    assert.match(cell(7), /class="rn-note rn-bad-image"[^>]*>\[image widget: image\/png data is not valid base64, not shown\]/);
    assert.equal((cell(7).match(/<img/g) ?? []).length, 1);
  });

  test('a box draws its children; a child without state is named, not broken', () => {
    assert.match(cell(8), /rn-widget-VBoxModel[\s\S]*<button type="button" disabled>Go<\/button>[\s\S]*\[widget notsaved: no saved state\]/);
  });

  test('a model with no static view, or no saved state, falls back to its text repr', () => {
    assert.match(cell(9), /<pre class="rn-text">Fancy\(\)<\/pre>/);
    assert.match(cell(10), /<pre class="rn-text">IntSlider\(value=42\)<\/pre>/);
    assert.doesNotMatch(cell(9) + cell(10), /rn-widget/);
  });

  test('an Output widget shows its captured outputs; one that contains itself stops at its text repr', () => {
    assert.match(cell(11), /rn-widget-OutputModel[\s\S]*<pre class="rn-stream rn-stream-stdout">captured &lt;b&gt;text&lt;\/b&gt;<\/pre>[\s\S]*<pre class="rn-text">Output\(\)<\/pre>/);
    assert.equal((cell(11).match(/rn-widget-OutputModel/g) ?? []).length, 1);
  });
});

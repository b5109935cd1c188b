// Static views of Jupyter widgets from the notebook's saved widget state.
//
// nbconvert embeds @jupyter-widgets/html-manager from a CDN to bring saved widgets to life;
// our pages are offline and run no script, so a widget view is drawn once, from its model's
// saved state, with plain disabled HTML controls: a slider's label, track and value, a
// button's caption, a dropdown's choice, an image's bytes, a box's children. A view whose
// model is not saved, or whose kind has no static form here, falls back to the output's
// text/plain repr (what the caller shows without a view). Every value from the state is
// untrusted: text is escaped, HTML widget values are sanitized as HTML outputs are, image
// bytes must be valid base64.

import type { JSONObject, JSONValue, Output } from '../notebook/types.js';
import type { WidgetModelState } from '../notebook/index.js';
import { badImageNote, rasterDataUri } from './images.js';
import { sanitizeHtml } from './sanitize.js';
import { escapeAttr, escapeHtml } from './text.js';

export type SavedWidgets = { [modelId: string]: WidgetModelState };

export interface WidgetRenderContext {
  widgets?: SavedWidgets;
  trust: boolean;
  /** Draws one output (an Output widget's captured outputs). */
  renderOutput?: (o: Output, scope: string) => string;
}

const MAX_DEPTH = 16;
const MODEL_REF = /^IPY_MODEL_(.+)$/;

/** The static view of a widget-view output, or undefined when the caller should show the output's text repr. */
export function renderWidgetView(view: JSONValue | undefined, scope: string, ctx: WidgetRenderContext): string | undefined {
  const id = view && typeof view === 'object' && !Array.isArray(view) ? view.model_id : undefined;
  if (typeof id !== 'string' || !ctx.widgets?.[id]) return undefined;
  return renderModel(id, scope, ctx, drawing);
}

/** Models being drawn right now (rendering is synchronous): a box or Output widget that contains itself stops. */
const drawing = new Set<string>();

function renderModel(id: string, scope: string, ctx: WidgetRenderContext, seen: Set<string>): string | undefined {
  const model = ctx.widgets?.[id];
  if (!model || seen.has(id) || seen.size >= MAX_DEPTH) return undefined;
  seen.add(id);
  try {
    const body = renderBody(model, scope, ctx, seen);
    if (body === undefined) return undefined;
    const kind = model.model_name.replace(/[^A-Za-z0-9_-]/g, '');
    return `<div class="rn-widget rn-widget-${kind}" title="static view of a widget (saved state)">${body}</div>`;
  } finally {
    seen.delete(id);
  }
}

function renderBody(model: WidgetModelState, scope: string, ctx: WidgetRenderContext, seen: Set<string>): string | undefined {
  const s = isObject(model.state) ? model.state : {};
  const name = model.model_name.replace(/Model$/, '');
  const label = description(s);
  return numberView(name, s, label) ?? inputView(name, s, label) ?? choiceView(name, s, label) ?? containerView(model, name, s, label, { scope, ctx, seen });
}

/** Sliders and progress bars. */
function numberView(name: string, s: JSONObject, label: string): string | undefined {
  switch (name) {
    case 'IntSlider':
    case 'FloatSlider':
    case 'FloatLogSlider': {
      const value = num(s.value);
      const base = num(s.base) ?? 10;
      // A log slider's min and max are exponents.
      const pos = name === 'FloatLogSlider' && value !== undefined && value > 0 ? Math.log(value) / Math.log(base) : value;
      const range = `<input type="range" disabled min="${attrNum(s.min)}" max="${attrNum(s.max)}" step="any" value="${attrNum(pos)}" aria-label="${escapeAttr(plain(s.description) || name)}">`;
      return `${label}${range}${readout(formatNumber(s.value, s.readout_format))}`;
    }
    case 'IntRangeSlider':
    case 'FloatRangeSlider': {
      const [lo, hi] = Array.isArray(s.value) ? s.value : [];
      return `${label}${readout(`${formatNumber(lo, s.readout_format)} – ${formatNumber(hi, s.readout_format)}`)}`;
    }
    case 'IntProgress':
    case 'FloatProgress': {
      const min = num(s.min) ?? 0;
      const max = num(s.max) ?? 100;
      const value = num(s.value) ?? min;
      return `${label}<progress max="${attrNum(max - min)}" value="${attrNum(value - min)}"></progress>${readout(formatNumber(s.value, undefined))}`;
    }
    default:
      return undefined;
  }
}

/** Text fields, pickers, checkboxes and buttons: their value, disabled. */
function inputView(name: string, s: JSONObject, label: string): string | undefined {
  switch (name) {
    case 'IntText':
    case 'FloatText':
    case 'BoundedIntText':
    case 'BoundedFloatText':
    case 'Text':
    case 'Combobox':
    case 'DatePicker':
    case 'NaiveDatetimePicker':
    case 'DatetimePicker':
    case 'TimePicker':
    case 'ColorPicker':
      return `${label}<input type="text" disabled value="${escapeAttr(valueText(s.value))}">`;
    case 'Password':
      return `${label}<input type="password" disabled value="${'•'.repeat(Math.min(valueText(s.value).length, 32))}">`;
    case 'Textarea':
      return `${label}<textarea disabled rows="${attrNum(num(s.rows) ?? 3)}">${escapeHtml(valueText(s.value))}</textarea>`;
    case 'Checkbox':
      return `<label><input type="checkbox" disabled${s.value === true ? ' checked' : ''}> ${escapeHtml(plain(s.description))}</label>`;
    case 'ToggleButton':
      return `<button type="button" disabled aria-pressed="${s.value === true}" class="${s.value === true ? 'rn-widget-on' : ''}">${escapeHtml(plain(s.description))}</button>`;
    case 'Valid':
      return `${label}${readout(s.value === true ? '✓ valid' : `✗ ${plain(s.readout) || 'invalid'}`)}`;
    case 'Button':
      return `<button type="button" disabled>${escapeHtml(plain(s.description))}</button>`;
    default:
      return undefined;
  }
}

/** Dropdowns, lists and selection sliders: the options, the chosen one marked. */
function choiceView(name: string, s: JSONObject, label: string): string | undefined {
  switch (name) {
    case 'Dropdown':
    case 'Select':
    case 'RadioButtons':
    case 'ToggleButtons':
    case 'SelectMultiple':
      return `${label}${selectList(s, name === 'SelectMultiple' || name === 'Select' || name === 'RadioButtons' || name === 'ToggleButtons')}`;
    case 'SelectionSlider': {
      const labels = optionLabels(s);
      return `${label}${readout(typeof s.index === 'number' ? (labels[s.index] ?? '') : '')}`;
    }
    case 'SelectionRangeSlider': {
      const labels = optionLabels(s);
      const [lo, hi] = Array.isArray(s.index) ? s.index : [];
      return `${label}${readout(`${typeof lo === 'number' ? labels[lo] ?? '' : ''} – ${typeof hi === 'number' ? labels[hi] ?? '' : ''}`)}`;
    }
    default:
      return undefined;
  }
}

/** Labels, HTML, images, and widgets holding others (boxes, tabs, the Output widget). */
function containerView(model: WidgetModelState, name: string, s: JSONObject, label: string, { scope, ctx, seen }: { scope: string; ctx: WidgetRenderContext; seen: Set<string> }): string | undefined {
  switch (name) {
    case 'Label':
      return `<span class="rn-widget-text">${escapeHtml(valueText(s.value))}</span>`;
    case 'HTML':
    case 'HTMLMath': {
      const html = valueText(s.value);
      return `${label}<div class="rn-html">${ctx.trust ? html : sanitizeHtml(html, { scope })}</div>`;
    }
    case 'Image':
      return renderImage(model, s);
    case 'Box':
    case 'HBox':
    case 'VBox':
    case 'GridBox': {
      const dir = name === 'VBox' || name === 'GridBox' ? 'rn-widget-col' : 'rn-widget-row';
      return `<div class="${dir}">${children(s).map((id) => renderModel(id, scope, ctx, seen) ?? missing(id)).join('')}</div>`;
    }
    case 'Accordion':
    case 'Tab':
    case 'Stack': {
      const titles = Array.isArray(s.titles) ? s.titles : [];
      const parts = children(s).map((id, i) => {
        const title = typeof titles[i] === 'string' && titles[i] ? titles[i] : `${i + 1}`;
        const inner = renderModel(id, scope, ctx, seen) ?? missing(id);
        return `<div class="rn-widget-part"><div class="rn-widget-title">${escapeHtml(String(title))}</div>${inner}</div>`;
      });
      return `<div class="rn-widget-col">${parts.join('')}</div>`;
    }
    case 'Output': {
      const outputs = Array.isArray(s.outputs) ? (s.outputs as unknown as Output[]) : [];
      if (!ctx.renderOutput) return undefined;
      return `<div class="rn-widget-col">${outputs.map((o) => ctx.renderOutput!(o, scope)).join('')}</div>`;
    }
    default:
      return undefined;
  }
}

function renderImage(model: WidgetModelState, s: JSONObject): string {
  const format = plain(s.format) || 'png';
  const mime = format.includes('/') ? format : `image/${format === 'jpg' ? 'jpeg' : format}`;
  const bytes = model.buffers?.find((b) => Array.isArray(b.path) && b.path.length === 1 && b.path[0] === 'value');
  if (!bytes) return `<span class="rn-note">[image widget: no image data saved]</span>`;
  if (!/^image\/(png|jpeg|gif|webp|bmp)$/.test(mime)) return `<span class="rn-note">[image widget: ${escapeHtml(mime)} not shown]</span>`;
  const uri = rasterDataUri(mime, bytes.data);
  if (!uri) return badImageNote(mime, 'image widget');
  const size = (k: 'width' | 'height') => (/^\d+(\.\d+)?$/.test(plain(s[k])) ? ` ${k}="${plain(s[k])}"` : '');
  return `<img class="rn-image" alt="image widget" src="${escapeAttr(uri)}"${size('width')}${size('height')}>`;
}

function selectList(s: JSONObject, showAll: boolean): string {
  const labels = optionLabels(s);
  const chosen = new Set(Array.isArray(s.index) ? s.index.filter((i): i is number => typeof i === 'number') : typeof s.index === 'number' ? [s.index] : []);
  if (!showAll) return `<select disabled><option>${escapeHtml(labels.find((_, i) => chosen.has(i)) ?? '')}</option></select>`;
  const items = labels.map((l, i) => `<li${chosen.has(i) ? ' class="rn-widget-on" aria-selected="true"' : ''}>${escapeHtml(l)}</li>`);
  return `<ul class="rn-widget-options">${items.join('')}</ul>`;
}

function optionLabels(s: JSONObject): string[] {
  return Array.isArray(s._options_labels) ? s._options_labels.map((l) => valueText(l)) : [];
}

function children(s: JSONObject): string[] {
  if (!Array.isArray(s.children)) return [];
  return s.children.flatMap((c) => {
    const m = typeof c === 'string' ? MODEL_REF.exec(c) : null;
    return m ? [m[1]!] : [];
  });
}

function missing(id: string): string {
  return `<span class="rn-note">[widget ${escapeHtml(id.slice(0, 12))}: no saved state]</span>`;
}

function description(s: JSONObject): string {
  const d = plain(s.description);
  return d ? `<span class="rn-widget-label">${escapeHtml(d)}</span>` : '';
}

function readout(text: string): string {
  return `<span class="rn-widget-value">${escapeHtml(text)}</span>`;
}

/** Python's `.2f`-style readout formats are the common ones; anything else shows the plain number. */
function formatNumber(v: JSONValue | undefined, format: JSONValue | undefined): string {
  if (typeof v !== 'number') return valueText(v ?? '');
  const fixed = typeof format === 'string' ? /^\.(\d{1,2})f$/.exec(format) : null;
  return fixed ? v.toFixed(Number(fixed[1])) : String(v);
}

function num(v: JSONValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function attrNum(v: JSONValue | undefined): string {
  const n = num(v);
  return n === undefined ? '' : String(n);
}

function plain(v: JSONValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function valueText(v: JSONValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

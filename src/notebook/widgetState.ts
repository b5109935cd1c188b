// Jupyter widget state, kept as a frontend would keep it and saved as nbclient saves it.
//
// ipywidgets talks to the frontend over comms of the `jupyter.widget` target: comm_open
// carries a model's whole state, comm_msg `update` (or `echo_update`) a changed part, and
// comm_close ends the model. The runner watches every IOPub message of the kernel (a
// background thread may update a widget while a later cell runs) and, when the run ends,
// writes the live models into metadata.widgets["application/vnd.jupyter.widget-state+json"]
// in the @jupyter-widgets/schema v2 form `jupyter execute` writes:
//   { version_major: 2, version_minor: 0,
//     state: { <model_id>: { model_name, model_module, model_module_version, state, buffers? } } }
// Binary parts (an Image widget's bytes) travel as message buffers named by `buffer_paths`;
// they are saved as base64 `buffers` entries with their path, as nbclient does.
//
// The Output widget is mimicked as nbclient does: while a model of @jupyter-widgets/output has
// `msg_id` set (inside `with out:`), the outputs of that request go into the model's
// `outputs` state instead of the cell (capture()). Unlike nbclient, the captured outputs are
// not sent back to the kernel, so `out.outputs` in the kernel stays empty.
//
// Differences from nbclient, on purpose: only `jupyter.widget` comms are tracked (nbclient
// takes any comm message carrying a `state`), a closed model is dropped (a frontend forgets
// it too, and its view can no longer be shown), and stale state from the input notebook is
// removed even when this run made no widget.

import type { JSONObject, JSONValue, MimeBundle, Notebook, Output } from './types.js';

export const WIDGET_STATE_MIME = 'application/vnd.jupyter.widget-state+json';
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';
export const WIDGET_COMM_TARGET = 'jupyter.widget';

export interface WidgetBuffer {
  path: (string | number)[];
  data: string;
  encoding: 'base64';
}

export interface WidgetModelState {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: JSONObject;
  buffers?: WidgetBuffer[];
}

export interface WidgetStateDocument {
  version_major: 2;
  version_minor: 0;
  state: { [modelId: string]: WidgetModelState };
}

/** The comm messages the tracker reads (an IOPub message, as src/jupyter delivers it). */
export interface CommMessage {
  readonly msgType: string;
  readonly content: Readonly<Record<string, unknown>>;
  readonly parentMsgId?: string;
  readonly buffers?: readonly (ArrayBuffer | ArrayBufferView)[];
}

interface Model {
  state: JSONObject;
  /** By path (joined), so a later update of the same path replaces the bytes. */
  buffers: Map<string, WidgetBuffer>;
  /** An Output widget: the request it captures now, and a clear_output(wait) pending. */
  hook?: string;
  clearPending?: boolean;
}

const OUTPUT_MODULE = '@jupyter-widgets/output';

export class WidgetStateTracker {
  private readonly models = new Map<string, Model>();
  /** Request msg_id → the Output widgets capturing it, innermost last (nested `with out:`). */
  private readonly hooks = new Map<string, string[]>();

  /** Feed every IOPub message of the kernel; anything but a widget comm message is ignored. */
  readonly handle = (msg: CommMessage): void => {
    const content = msg.content;
    const commId = typeof content.comm_id === 'string' ? content.comm_id : undefined;
    if (!commId) return;
    switch (msg.msgType) {
      case 'comm_open': {
        if (content.target_name !== WIDGET_COMM_TARGET) return;
        const model: Model = { state: {}, buffers: new Map() };
        this.models.set(commId, model);
        this.apply(model, content.data, msg.buffers, commId);
        return;
      }
      case 'comm_msg': {
        const model = this.models.get(commId);
        if (model) this.apply(model, content.data, msg.buffers, commId);
        return;
      }
      case 'comm_close': {
        const model = this.models.get(commId);
        if (model?.hook) this.unhook(commId, model);
        this.models.delete(commId);
        return;
      }
      default:
        return;
    }
  };

  /** How many live widget models the kernel has made. */
  get size(): number {
    return this.models.size;
  }

  private apply(model: Model, data: unknown, buffers: CommMessage['buffers'], commId?: string): void {
    if (!isObject(data) || !isObject(data.state)) return; // a custom message, not a state change
    Object.assign(model.state, structuredClone(data.state));
    if (commId && model.state._model_module === OUTPUT_MODULE && 'msg_id' in data.state) this.setHook(commId, model, data.state.msg_id);
    const paths = Array.isArray(data.buffer_paths) ? data.buffer_paths : [];
    paths.forEach((path, i) => {
      const bytes = buffers?.[i];
      if (!Array.isArray(path) || !bytes) return;
      const clean = path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
      model.buffers.set(JSON.stringify(clean), { path: clean, data: toBase64(bytes), encoding: 'base64' });
    });
  }

  private setHook(commId: string, model: Model, msgId: JSONValue | undefined): void {
    if (model.hook) this.unhook(commId, model);
    if (typeof msgId !== 'string' || !msgId) return;
    model.hook = msgId;
    const stack = this.hooks.get(msgId) ?? [];
    stack.push(commId);
    this.hooks.set(msgId, stack);
  }

  private unhook(commId: string, model: Model): void {
    const stack = this.hooks.get(model.hook!);
    const i = stack?.lastIndexOf(commId) ?? -1;
    if (stack && i >= 0) stack.splice(i, 1);
    if (stack?.length === 0) this.hooks.delete(model.hook!);
    model.hook = undefined;
  }

  /**
   * An output message of a request that an Output widget is capturing goes into that widget's
   * `outputs` (streams of one name merged, clear_output honoured) and not into the cell:
   * returns true when it was taken.
   */
  capture(msg: CommMessage): boolean {
    const stack = msg.parentMsgId ? this.hooks.get(msg.parentMsgId) : undefined;
    const model = stack?.length ? this.models.get(stack[stack.length - 1]!) : undefined;
    if (!model) return false;
    const c = msg.content;
    let outputs = Array.isArray(model.state.outputs) ? (model.state.outputs as unknown as Output[]) : [];
    if (msg.msgType === 'clear_output') {
      if (c.wait) model.clearPending = true;
      else model.state.outputs = [];
      return true;
    }
    const out = outputOf(msg.msgType, c);
    if (!out) return false;
    if (model.clearPending) {
      outputs = [];
      model.clearPending = false;
    }
    const last = outputs[outputs.length - 1];
    if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) {
      last.text = `${Array.isArray(last.text) ? last.text.join('') : last.text}${out.text as string}`;
    } else {
      outputs.push(out);
    }
    model.state.outputs = outputs as unknown as JSONValue;
    return true;
  }

  /** The state document of every live model, or undefined when there is none. */
  document(): WidgetStateDocument | undefined {
    const state: WidgetStateDocument['state'] = {};
    for (const [id, model] of this.models) {
      const s = model.state;
      // Like nbclient: a comm that never said what model it is cannot be restored.
      if (typeof s._model_name !== 'string') continue;
      const entry: WidgetModelState = {
        model_name: s._model_name,
        model_module: String(s._model_module ?? ''),
        model_module_version: String(s._model_module_version ?? ''),
        state: structuredClone(s),
      };
      if (model.buffers.size) entry.buffers = [...model.buffers.values()];
      state[id] = entry;
    }
    return Object.keys(state).length ? { version_major: 2, version_minor: 0, state } : undefined;
  }

  /** Replaces the notebook's saved widget state (stale state from the input included) with this run's. */
  saveInto(nb: Notebook): void {
    const doc = this.document();
    const meta = nb.metadata as JSONObject;
    const widgets = isObject(meta.widgets) ? { ...meta.widgets } : {};
    delete widgets[WIDGET_STATE_MIME];
    if (doc) widgets[WIDGET_STATE_MIME] = doc as unknown as JSONValue;
    if (Object.keys(widgets).length) meta.widgets = widgets;
    else delete meta.widgets;
  }
}

/** The saved widget state of a notebook, when it holds a well-formed one. */
export function savedWidgetState(nb: Notebook): WidgetStateDocument['state'] | undefined {
  const widgets = (nb.metadata as JSONObject | undefined)?.widgets;
  if (!isObject(widgets)) return undefined;
  const doc = widgets[WIDGET_STATE_MIME];
  if (!isObject(doc) || !isObject(doc.state)) return undefined;
  return doc.state as unknown as WidgetStateDocument['state'];
}

/** nbformat's output_from_msg, for the message types an Output widget captures. */
function outputOf(msgType: string, c: Readonly<Record<string, unknown>>): Output | undefined {
  const data = (isObject(c.data) ? c.data : {}) as MimeBundle;
  const metadata = isObject(c.metadata) ? c.metadata : {};
  switch (msgType) {
    case 'stream':
      return { output_type: 'stream', name: c.name === 'stderr' ? 'stderr' : 'stdout', text: typeof c.text === 'string' ? c.text : '' };
    case 'display_data':
      return { output_type: 'display_data', data, metadata };
    case 'execute_result':
      return { output_type: 'execute_result', data, metadata, execution_count: typeof c.execution_count === 'number' ? c.execution_count : null };
    case 'error':
      return { output_type: 'error', ename: String(c.ename ?? ''), evalue: String(c.evalue ?? ''), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] };
    default:
      return undefined;
  }
}

function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toBase64(bytes: ArrayBuffer | ArrayBufferView): string {
  const buf = ArrayBuffer.isView(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
  return buf.toString('base64');
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WidgetStateTracker, savedWidgetState, WIDGET_STATE_MIME } from '../../../src/notebook/index.js';
import type { Notebook } from '../../../src/notebook/types.js';

const open = (comm_id: string, state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  msgType: 'comm_open',
  content: { comm_id, target_name: 'jupyter.widget', data: { state, buffer_paths: [] }, ...extra },
});
const slider = { _model_name: 'IntSliderModel', _model_module: '@jupyter-widgets/controls', _model_module_version: '2.0.0', value: 3 };
const nb = (metadata: Notebook['metadata'] = {}): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata, cells: [] });

test('comm_open then update messages give the final state, in the schema v2 form nbclient writes', () => {
  const t = new WidgetStateTracker();
  t.handle(open('a', slider));
  t.handle({ msgType: 'comm_msg', content: { comm_id: 'a', data: { method: 'update', state: { value: 5 }, buffer_paths: [] } } });
  t.handle({ msgType: 'comm_msg', content: { comm_id: 'a', data: { method: 'echo_update', state: { value: 7 }, buffer_paths: [] } } });
  t.handle({ msgType: 'comm_msg', content: { comm_id: 'a', data: { method: 'custom', content: { value: 100 } } } });
  assert.deepEqual(t.document(), {
    version_major: 2,
    version_minor: 0,
    state: { a: { model_name: 'IntSliderModel', model_module: '@jupyter-widgets/controls', model_module_version: '2.0.0', state: { ...slider, value: 7 } } },
  });
});

test('buffers are saved base64 by path, a later update of a path replaces its bytes', () => {
  const t = new WidgetStateTracker();
  const bytes = new Uint8Array([0, 1, 2, 250, 251]);
  t.handle({
    msgType: 'comm_open',
    content: { comm_id: 'img', target_name: 'jupyter.widget', data: { state: { _model_name: 'ImageModel', _model_module: '@jupyter-widgets/controls', _model_module_version: '2.0.0', format: 'png' }, buffer_paths: [['value']] } },
    buffers: [new DataView(bytes.buffer, 0, 5)],
  });
  assert.deepEqual(t.document()!.state.img!.buffers, [{ path: ['value'], data: Buffer.from(bytes).toString('base64'), encoding: 'base64' }]);
  t.handle({ msgType: 'comm_msg', content: { comm_id: 'img', data: { method: 'update', state: {}, buffer_paths: [['value']] } }, buffers: [new Uint8Array([9]).buffer] });
  assert.deepEqual(t.document()!.state.img!.buffers, [{ path: ['value'], data: 'CQ==', encoding: 'base64' }]);
});

test('closed models, other comm targets and comms without a model name are not saved', () => {
  const t = new WidgetStateTracker();
  t.handle(open('a', slider));
  t.handle(open('b', slider));
  t.handle({ msgType: 'comm_close', content: { comm_id: 'b', data: {} } });
  t.handle(open('c', slider, { target_name: 'some.other.target' }));
  t.handle({ msgType: 'comm_msg', content: { comm_id: 'c', data: { state: { value: 1 } } } });
  t.handle(open('d', { value: 1 }));
  assert.deepEqual(Object.keys(t.document()!.state), ['a']);
});

test('saveInto replaces stale state, removes it when this run made no widget, keeps other widgets keys', () => {
  const stale = { widgets: { [WIDGET_STATE_MIME]: { version_major: 2, version_minor: 0, state: { old: { model_name: 'X', model_module: 'm', model_module_version: '1', state: {} } } } } };
  const empty = nb(structuredClone(stale));
  new WidgetStateTracker().saveInto(empty);
  assert.equal(empty.metadata.widgets, undefined);

  const other = nb({ widgets: { ...structuredClone(stale).widgets, 'x-other': 1 } });
  new WidgetStateTracker().saveInto(other);
  assert.deepEqual(other.metadata.widgets, { 'x-other': 1 });

  const fresh = nb(structuredClone(stale));
  const t = new WidgetStateTracker();
  t.handle(open('a', slider));
  t.saveInto(fresh);
  assert.deepEqual(Object.keys(savedWidgetState(fresh)!), ['a']);
});

test('an Output widget captures the outputs of the request named by its msg_id, nested innermost first, clear_output honoured', () => {
  const t = new WidgetStateTracker();
  const output = { _model_name: 'OutputModel', _model_module: '@jupyter-widgets/output', _model_module_version: '1.0.0', msg_id: '', outputs: [] };
  t.handle(open('o1', output));
  t.handle(open('o2', output));
  const set = (id: string, msg_id: string) => t.handle({ msgType: 'comm_msg', content: { comm_id: id, data: { method: 'update', state: { msg_id }, buffer_paths: [] } } });
  const stream = (text: string, parentMsgId = 'req') => ({ msgType: 'stream', parentMsgId, content: { name: 'stdout', text } });
  const outputsOf = (id: string) => t.document()!.state[id]!.state.outputs;

  assert.equal(t.capture(stream('before')), false, 'nothing captures yet');
  set('o1', 'req');
  assert.equal(t.capture(stream('a')), true);
  assert.equal(t.capture(stream('b')), true);
  assert.equal(t.capture(stream('other request', 'req2')), false);
  set('o2', 'req');
  t.capture({ msgType: 'display_data', parentMsgId: 'req', content: { data: { 'text/plain': 'x' }, metadata: {}, transient: {} } });
  set('o2', '');
  t.capture(stream('c'));
  // o1's last output is still its stream: 'c' extends it, as in nbclient.
  assert.deepEqual(outputsOf('o1'), [{ output_type: 'stream', name: 'stdout', text: 'abc' }]);
  assert.deepEqual(outputsOf('o2'), [{ output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} }]);
  t.capture({ msgType: 'clear_output', parentMsgId: 'req', content: { wait: true } });
  assert.equal((outputsOf('o1') as unknown[]).length, 1, 'clear_output(wait) waits for the next output');
  t.capture(stream('d'));
  assert.deepEqual(outputsOf('o1'), [{ output_type: 'stream', name: 'stdout', text: 'd' }]);
  set('o1', '');
  assert.equal(t.capture(stream('after')), false, 'after `with out:` the cell gets its outputs again');
});

// Building a code cell's outputs from the kernel's IOPub messages, as nbclient does, with
// stream text handled as JupyterLab's output area does.
//
//   const collector = new OutputCollector(nb, { onRecord, onText });
//   collector.startCell(cell);                 // clears cell.outputs
//   collector.handle(msg.header.msg_type, msg.content);   // for every IOPub message of that cell
//   collector.endCell();
//   collector.handle('update_display_data', content);      // also fine between or after cells
//
// - `stream`: appended to the previous output when that is a stream of the same name
//   (JupyterLab merges consecutive streams; nbclient's optional coalescing merges more),
//   with `\r` / `\b` resolved (see streamText.ts).
// - `display_data`, `execute_result`: data and metadata stored, `transient` dropped. An
//   output with `transient.display_id` is registered notebook-wide; a later message with
//   that id (a new display, or `update_display_data`, from any cell) replaces data and
//   metadata of every output registered under it.
// - `error`: ename, evalue, traceback.
// - `clear_output`: clears now, or with `wait: true` just before the next output of the
//   cell (dropped if the cell ends first, as in nbclient). Cleared outputs leave the
//   display-id registry.
// - Outputs whose data holds RECORD_MIME are not stored: `onRecord({name, value})` gets the value.
// - `execute_input` and `execute_result` set the cell's execution_count.
// Other message types (status, comm_*, ...) are ignored.

import type { CodeCell, JSONObject, JSONValue, MimeBundle, Notebook, Output, StreamOutput } from './types.js';
import { StreamText } from './streamText.js';

/** Mime type of the kernel-side `record(name, value)` helper's display_data; its value is `{name, value}`. */
export const RECORD_MIME = 'application/vnd.run-notebook.record+json';

export type StreamName = 'stdout' | 'stderr';

/** What the kernel-side `record(name, value)` publishes under RECORD_MIME. */
export interface RecordValue {
  name: string;
  value: JSONValue;
}

export interface OutputCollectorOptions {
  /**
   * Called for each record output (which is not stored). A RECORD_MIME value that is not
   * an object with a string `name` is dropped.
   */
  onRecord?: (record: RecordValue) => void;
  /** Called with every stream chunk as it arrives (raw: before `\r` / `\b` handling). */
  onText?: (name: StreamName, text: string) => void;
}

/** The content fields the collector reads; anything else in a message is ignored. */
export interface IOPubContent {
  name?: string;
  text?: string;
  data?: MimeBundle;
  metadata?: JSONObject;
  transient?: { display_id?: string; [key: string]: unknown } | null;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  wait?: boolean;
  [key: string]: unknown;
}

type RichOutput = Extract<Output, { data: MimeBundle }>;

/**
 * Stream text a cell keeps in the notebook (per cell, stdout and stderr together). Beyond
 * it, output still goes to onText (log.txt has all of it) but not into the notebook: 100 MiB
 * of prints otherwise cost the runner ~1 GB while it builds, saves and renders the notebook.
 */
export const MAX_CELL_STREAM_CHARS = 16 * 1024 * 1024;

export class OutputCollector {
  private readonly nb: Notebook;
  private readonly options: OutputCollectorOptions;
  private cell: CodeCell | null = null;
  private clearPending = false;
  /** The stream output that the next stream chunk of the same name may extend. */
  private openStream: { output: StreamOutput; text: StreamText } | null = null;
  private readonly displays = new Map<string, Set<RichOutput>>();
  private readonly displayIdOf = new WeakMap<Output, string>();
  /** Stream characters kept in the current cell, and those left out past the limit. */
  private streamKept = 0;
  private streamDropped = 0;

  constructor(nb: Notebook, options: OutputCollectorOptions = {}) {
    this.nb = nb;
    this.options = options;
  }

  /** The cell receiving outputs, or null between cells. */
  get currentCell(): CodeCell | null {
    return this.cell;
  }

  /**
   * Make `cell` (or the code cell at that index of the notebook) the target. Its outputs
   * are cleared and its execution_count reset to null (execute_input sets it again).
   */
  startCell(cell: CodeCell | number): void {
    const target = typeof cell === 'number' ? this.nb.cells[cell] : cell;
    if (!target || target.cell_type !== 'code') throw new Error(`startCell: not a code cell: ${String(cell)}`);
    this.endCell();
    this.cell = target;
    if (!Array.isArray(target.outputs)) target.outputs = [];
    this.removeOutputs(target, 0);
    target.execution_count = null;
  }

  /** Stop collecting for the current cell. A pending clear_output(wait) is dropped. */
  endCell(): void {
    if (this.cell && this.streamDropped > 0) {
      const note = `\n[run-notebook: ${this.streamDropped} more characters of output are not kept in the notebook (the limit is ${MAX_CELL_STREAM_CHARS} per cell); log.txt has them all]\n`;
      this.cell.outputs.push({ output_type: 'stream', name: 'stderr', text: note });
    }
    this.streamKept = 0;
    this.streamDropped = 0;
    this.cell = null;
    this.clearPending = false;
    this.openStream = null;
  }

  /** Feed one IOPub message (its header.msg_type and content, read as {@link IOPubContent}). */
  handle(msgType: string, messageContent: unknown): void {
    if (typeof messageContent !== 'object' || messageContent === null) return;
    const content = messageContent as IOPubContent;
    const displayId = displayIdOf(content);
    switch (msgType) {
      case 'stream':
        return this.onStream(content);
      case 'display_data':
      case 'execute_result':
        return this.onRich(msgType, content, displayId);
      case 'update_display_data':
        if (displayId !== undefined && !isRecord(content)) this.updateDisplay(displayId, content);
        return;
      case 'error':
        return this.onError(content);
      case 'clear_output':
        return this.onClear(content);
      case 'execute_input':
        if (this.cell && typeof content.execution_count === 'number') this.cell.execution_count = content.execution_count;
        return;
      default:
        return;
    }
  }

  private onStream(content: IOPubContent): void {
    const cell = this.cell;
    if (!cell) return;
    const name: StreamName = content.name === 'stderr' ? 'stderr' : 'stdout';
    const whole = typeof content.text === 'string' ? content.text : '';
    this.beforeOutput(cell);
    const room = Math.max(0, MAX_CELL_STREAM_CHARS - this.streamKept);
    const chunk = whole.length > room ? whole.slice(0, room) : whole;
    this.streamDropped += whole.length - chunk.length;
    this.streamKept += chunk.length;
    if (!chunk && whole) {
      this.options.onText?.(name, whole);
      return;
    }
    const open = this.openStream;
    if (open && open.output.name === name && cell.outputs[cell.outputs.length - 1] === open.output) {
      open.text.append(chunk);
      open.output.text = open.text.text;
    } else {
      const text = new StreamText(chunk);
      const output: StreamOutput = { output_type: 'stream', name, text: text.text };
      cell.outputs.push(output);
      this.openStream = { output, text };
    }
    this.options.onText?.(name, whole);
  }

  private onRich(msgType: 'display_data' | 'execute_result', content: IOPubContent, displayId: string | undefined): void {
    if (isRecord(content)) {
      const value = content.data![RECORD_MIME];
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.name === 'string') {
        this.options.onRecord?.({ name: value.name, value: value.value ?? null });
      }
      return;
    }
    if (displayId !== undefined) this.updateDisplay(displayId, content);
    const cell = this.cell;
    if (!cell) return;
    this.beforeOutput(cell);
    const data = { ...(content.data ?? {}) };
    const metadata = { ...(content.metadata ?? {}) };
    let output: RichOutput;
    if (msgType === 'execute_result') {
      const count = typeof content.execution_count === 'number' ? content.execution_count : null;
      output = { output_type: 'execute_result', execution_count: count, data, metadata };
      if (count !== null) cell.execution_count = count;
    } else {
      output = { output_type: 'display_data', data, metadata };
    }
    cell.outputs.push(output);
    this.openStream = null;
    if (displayId !== undefined) {
      let set = this.displays.get(displayId);
      if (!set) this.displays.set(displayId, (set = new Set()));
      set.add(output);
      this.displayIdOf.set(output, displayId);
    }
  }

  private onError(content: IOPubContent): void {
    const cell = this.cell;
    if (!cell) return;
    this.beforeOutput(cell);
    cell.outputs.push({
      output_type: 'error',
      ename: String(content.ename ?? ''),
      evalue: String(content.evalue ?? ''),
      traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
    });
    this.openStream = null;
  }

  private onClear(content: IOPubContent): void {
    const cell = this.cell;
    if (!cell) return;
    if (content.wait) {
      this.clearPending = true;
    } else {
      this.clearPending = false;
      this.removeOutputs(cell, 0);
    }
  }

  private beforeOutput(cell: CodeCell): void {
    if (!this.clearPending) return;
    this.clearPending = false;
    this.removeOutputs(cell, 0);
  }

  private removeOutputs(cell: CodeCell, from: number): void {
    // Cleared output no longer counts against the cell's stream limit.
    if (from === 0) this.streamKept = this.streamDropped = 0;
    const removed = cell.outputs.splice(from);
    for (const output of removed) {
      const id = this.displayIdOf.get(output);
      if (id !== undefined) this.displays.get(id)?.delete(output as RichOutput);
    }
    this.openStream = null;
  }

  private updateDisplay(displayId: string, content: IOPubContent): void {
    const targets = this.displays.get(displayId);
    if (!targets) return;
    for (const output of targets) {
      output.data = { ...(content.data ?? {}) };
      output.metadata = { ...(content.metadata ?? {}) };
    }
  }
}

function displayIdOf(content: IOPubContent): string | undefined {
  const id = content.transient?.display_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function isRecord(content: IOPubContent): boolean {
  return typeof content.data === 'object' && content.data !== null && RECORD_MIME in content.data;
}

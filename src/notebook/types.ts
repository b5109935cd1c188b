// nbformat v4 as held in memory. Multiline strings (source, stream text, text/* mime
// values) are always joined into one string on read and split into lines on write,
// the way Python's nbformat does it, so nothing downstream deals with string[].

export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };

/** mime type -> value. text-like values are strings; JSON mime types hold objects. */
export type MimeBundle = { [mime: string]: JSONValue };

export interface KernelSpecMetadata {
  name: string;
  display_name?: string;
  language?: string;
  [key: string]: unknown;
}

export interface NotebookMetadata {
  kernelspec?: KernelSpecMetadata;
  language_info?: { name: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface CellMetadata {
  tags?: string[];
  /** nbclient's timing keys, e.g. "iopub.execute_input", "shell.execute_reply". */
  execution?: { [key: string]: string };
  jupyter?: { source_hidden?: boolean; outputs_hidden?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}

export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JSONObject;
}

export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: JSONObject;
}

export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

interface BaseCell {
  id?: string;
  metadata: CellMetadata;
  source: string;
}

export interface CodeCell extends BaseCell {
  cell_type: 'code';
  execution_count: number | null;
  outputs: Output[];
}

export interface MarkdownCell extends BaseCell {
  cell_type: 'markdown';
  attachments?: { [name: string]: MimeBundle };
}

export interface RawCell extends BaseCell {
  cell_type: 'raw';
  attachments?: { [name: string]: MimeBundle };
}

export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}

// The text of one stream output, built from many small chunks with `\r` and `\b`
// resolved the way JupyterLab's output area model does it (its `processText`):
//
// - there is a cursor; ordinary characters overwrite the text at the cursor (appending
//   when the cursor is at the end);
// - `\r` moves the cursor to the start of the current line;
// - `\b` removes the character before the cursor (never a newline) and, like JupyterLab,
//   also the character under the cursor when the cursor is not at the end;
// - `\n` appends a newline at the end of the text, wherever the cursor is, and moves the
//   cursor after it. So "hello\rhi\n" gives "hillo\n", not "hi\n".
//
// The cursor never moves back past the last newline, so everything up to and including
// it is final. Only the current line is edited: appending is linear in the size of the
// chunks, whatever the total size of the stream.

export class StreamText {
  /** Text up to and including the last newline. Never edited again. */
  private done = '';
  /** The current (last) line, without newline. */
  private line = '';
  /** Cursor position within `line`. */
  private cursor = 0;

  constructor(initial = '') {
    if (initial) this.append(initial);
  }

  get text(): string {
    return this.done + this.line;
  }

  append(chunk: string): void {
    let start = 0;
    const n = chunk.length;
    while (start <= n) {
      const next = nextControl(chunk, start);
      const end = next === -1 ? n : next;
      if (end > start) this.write(chunk.slice(start, end));
      if (next === -1) return;
      const c = chunk.charCodeAt(next);
      if (c === 0x0a) {
        this.done += this.line + '\n';
        this.line = '';
        this.cursor = 0;
      } else if (c === 0x0d) {
        this.cursor = 0;
      } else if (this.cursor > 0) {
        // backspace
        this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor + 1);
        this.cursor--;
      }
      start = next + 1;
    }
  }

  private write(s: string): void {
    if (this.cursor === this.line.length) {
      this.line += s;
    } else {
      this.line = this.line.slice(0, this.cursor) + s + this.line.slice(this.cursor + s.length);
    }
    this.cursor += s.length;
  }
}

const CONTROL = /[\n\r\b]/g;

function nextControl(s: string, from: number): number {
  CONTROL.lastIndex = from;
  const m = CONTROL.exec(s);
  return m === null ? -1 : m.index;
}

/** Resolve `\r` and `\b` in a whole text at once (same rules as {@link StreamText}). */
export function resolveStreamText(text: string): string {
  return new StreamText(text).text;
}

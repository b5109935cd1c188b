import type { Cell, Notebook, Output } from '../../../src/notebook/types.js';

export function notebook(cells: Cell[], language = 'python'): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language },
      language_info: { name: language },
    },
    cells,
  };
}

export function code(source: string, outputs: Output[] = [], extra: Partial<Cell> = {}, count: number | null = 1): Cell {
  return { cell_type: 'code', source, metadata: {}, execution_count: count, outputs, ...extra } as Cell;
}

export function md(source: string, extra: Partial<Cell> = {}): Cell {
  return { cell_type: 'markdown', source, metadata: {}, ...extra } as Cell;
}

export function result(data: Record<string, unknown>, metadata: Record<string, unknown> = {}, count = 1): Output {
  return { output_type: 'execute_result', execution_count: count, data, metadata } as Output;
}

export function display(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Output {
  return { output_type: 'display_data', data, metadata } as Output;
}

/** The page body only (the stylesheet mentions every class name). */
export function bodyOf(html: string): string {
  const start = html.indexOf('<body');
  return start >= 0 ? html.slice(start) : html;
}

/** The HTML of one cell (by its cell-<k> id), up to the next cell. */
export function cellHtml(html: string, k: number): string {
  const body = bodyOf(html);
  const start = body.indexOf(`id="cell-${k}"`);
  if (start < 0) return '';
  const next = body.indexOf('<div class="rn-cell', start + 1);
  return body.slice(start, next < 0 ? undefined : next);
}

// A 1x1 transparent PNG.
export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

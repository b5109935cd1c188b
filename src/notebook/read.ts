// Reading a notebook file into the in-memory form of types.ts: multiline strings joined,
// transient keys dropped, every cell with an id (nbformat 4.5). nbformat 3 is upgraded.

import { readFile } from 'node:fs/promises';
import { ensureCellIds, randomCellId } from './cellIds.js';
import { NotebookFormatError } from './errors.js';
import { isStringList, joinMimeBundle, joinText } from './multiline.js';
import { JsonSyntaxError, parseJson } from './pyjson.js';
import type { CellMetadata, JSONValue, MimeBundle, Notebook } from './types.js';
import { upgradeV3 } from './v3.js';

export interface ParseOptions {
  /** Makes ids for cells that lack one (default: 8 random hex digits). */
  newCellId?: () => string;
}

type Dict = { [key: string]: JSONValue };

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CELL_TYPES = new Set(['code', 'markdown', 'raw']);

/** Parse notebook text. `sourceName` (usually the path) names the file in error messages. */
export function parseNotebook(text: string, sourceName: string, options: ParseOptions = {}): Notebook {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: JSONValue;
  try {
    doc = parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      throw new NotebookFormatError(sourceName, `not a notebook: invalid JSON (${err.reason} at line ${err.line}, column ${err.column})`, err);
    }
    throw err;
  }
  if (!isDict(doc)) throw new NotebookFormatError(sourceName, 'not a notebook: the JSON is not an object');

  const major = doc.nbformat;
  if (typeof major !== 'number') throw new NotebookFormatError(sourceName, 'not a notebook: no "nbformat" version field');
  let nb: Notebook;
  if (major === 3) {
    nb = upgradeV3(doc);
  } else if (major === 4) {
    nb = normalizeV4(doc, sourceName);
  } else if (major < 3) {
    throw new NotebookFormatError(
      sourceName,
      `nbformat ${major} is too old; convert it first with: jupyter nbconvert --to notebook --nbformat 4 --output NEW.ipynb ${sourceName}`,
    );
  } else {
    throw new NotebookFormatError(sourceName, `nbformat ${major} is not supported (this tool reads nbformat 4 and 3)`);
  }
  stripTransient(nb);
  ensureCellIds(nb, options.newCellId ?? randomCellId);
  return nb;
}

function normalizeV4(doc: Dict, sourceName: string): Notebook {
  if (!Array.isArray(doc.cells)) throw new NotebookFormatError(sourceName, 'not a valid notebook: no "cells" list');
  if (doc.metadata !== undefined && !isDict(doc.metadata)) {
    throw new NotebookFormatError(sourceName, 'not a valid notebook: "metadata" is not an object');
  }
  doc.metadata ??= {};
  if (typeof doc.nbformat_minor !== 'number') doc.nbformat_minor = 0;
  doc.cells.forEach((cell, i) => normalizeCell(cell, i, sourceName));
  return doc as unknown as Notebook;
}

function normalizeCell(cell: JSONValue, index: number, sourceName: string): void {
  const where = `cell ${index + 1}`;
  if (!isDict(cell)) throw new NotebookFormatError(sourceName, `not a valid notebook: ${where} is not an object`);
  const type = cell.cell_type;
  if (typeof type !== 'string' || !CELL_TYPES.has(type)) {
    throw new NotebookFormatError(sourceName, `not a valid notebook: ${where} has unknown cell_type ${JSON.stringify(type ?? null)}`);
  }
  if (!isDict(cell.metadata)) cell.metadata = {};
  const source = joinText(cell.source);
  cell.source = typeof source === 'string' ? source : '';
  if (isDict(cell.attachments)) {
    for (const bundle of Object.values(cell.attachments)) if (isDict(bundle)) joinMimeBundle(bundle);
  }
  if (type !== 'code') return;
  if (!('execution_count' in cell)) cell.execution_count = null;
  if (!Array.isArray(cell.outputs)) cell.outputs = [];
  for (const output of cell.outputs) {
    if (!isDict(output)) continue;
    const outputType = output.output_type;
    if (outputType === 'execute_result' || outputType === 'display_data') {
      if (isDict(output.data)) joinMimeBundle(output.data as MimeBundle);
    } else if (outputType && isStringList(output.text)) {
      output.text = output.text.join('');
    }
  }
}

/** Drop the keys Python nbformat never keeps in memory or on disk. */
export function stripTransient(nb: Notebook): void {
  delete nb.metadata.orig_nbformat;
  delete nb.metadata.orig_nbformat_minor;
  delete nb.metadata.signature;
  for (const cell of nb.cells) delete (cell.metadata as CellMetadata).trusted;
}

/** Read and parse a notebook file. Throws {@link NotebookFormatError} for every problem. */
export async function readNotebook(path: string, options: ParseOptions = {}): Promise<Notebook> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a notebook file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? String(err)})`;
    throw new NotebookFormatError(path, problem, err);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new NotebookFormatError(path, 'not a notebook: the file is not UTF-8 text', err);
  }
  return parseNotebook(text, path, options);
}

// Writing a notebook exactly as Python's `nbformat.write(nb, f)` does: json.dumps with
// indent=1, sorted keys and ensure_ascii=False, multiline strings split into lists of
// lines (nbformat's `split_lines`), transient keys dropped, and a trailing newline.

import { writeFileAtomic, writeFileAtomicSync } from '../util/atomicWrite.js';
import { isSplitMime, splitLines } from './multiline.js';
import { dumpArray, dumpObject, dumpValue, type ChildWriter } from './pyjson.js';
import type { Notebook } from './types.js';

type Dict = { [key: string]: unknown };

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const writeLines: ChildWriter = (out, value, indent, container, key) => {
  if (typeof value === 'string') dumpArray(out, splitLines(value), indent);
  else dumpValue(out, value, indent, container, key);
};

const writeMimeBundle: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  dumpObject(out, value, indent, (mime) => (isSplitMime(mime) ? writeLines : dumpValue));
};

const writeAttachments: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  dumpObject(out, value, indent, () => writeMimeBundle);
};

const writeOutput: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  const type = value.output_type;
  const rich = type === 'execute_result' || type === 'display_data';
  dumpObject(out, value, indent, (k) => {
    if (k === 'data' && rich) return writeMimeBundle;
    if (k === 'text' && type === 'stream') return writeLines;
    return dumpValue;
  });
};

const writeOutputs: ChildWriter = (out, value, indent, container, key) => {
  if (!Array.isArray(value)) return dumpValue(out, value, indent, container, key);
  dumpArray(out, value, indent, writeOutput);
};

const writeCellMetadata: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  dumpObject(out, value, indent, (k) => (k === 'trusted' ? null : dumpValue));
};

const writeCell: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  const isCode = value.cell_type === 'code';
  dumpObject(out, value, indent, (k) => {
    switch (k) {
      case 'source':
        return writeLines;
      case 'attachments':
        return writeAttachments;
      case 'outputs':
        return isCode ? writeOutputs : dumpValue;
      case 'metadata':
        return writeCellMetadata;
      default:
        return dumpValue;
    }
  });
};

const TRANSIENT_NB_METADATA = new Set(['orig_nbformat', 'orig_nbformat_minor', 'signature']);

const writeNotebookMetadata: ChildWriter = (out, value, indent, container, key) => {
  if (!isDict(value)) return dumpValue(out, value, indent, container, key);
  dumpObject(out, value, indent, (k) => (TRANSIENT_NB_METADATA.has(k) ? null : dumpValue));
};

/** The exact text Python's nbformat writes for `nb` (trailing newline included). */
export function serializeNotebook(nb: Notebook): string {
  const out: string[] = [];
  dumpObject(out, nb as unknown as Dict, 0, (k) => {
    if (k === 'cells') return (o, v, i, c, key) => (Array.isArray(v) ? dumpArray(o, v, i, writeCell) : dumpValue(o, v, i, c, key));
    if (k === 'metadata') return writeNotebookMetadata;
    return dumpValue;
  });
  out.push('\n');
  return out.join('');
}

/** Serialize and write atomically (parent directories are created). */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFileAtomic(path, serializeNotebook(nb));
}

/** Synchronous {@link writeNotebook}, for signal and exit paths. */
export function writeNotebookSync(path: string, nb: Notebook): void {
  writeFileAtomicSync(path, serializeNotebook(nb));
}

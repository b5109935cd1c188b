// Upgrade of an nbformat 3 notebook (worksheets, `input`, `pyout`, short mime keys) to
// the in-memory v4 form. It follows the mapping Python nbformat's v4 converter uses.
// Multiline values are joined here; cell ids are left to the caller.

import { joinText, splitLines } from './multiline.js';
import type { Cell, JSONObject, JSONValue, MimeBundle, Notebook, Output } from './types.js';

const MIME_ALIASES: Array<[string, string]> = [
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript'],
];

type Dict = { [key: string]: JSONValue };

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: JSONValue | undefined): string {
  const joined = joinText(v);
  return typeof joined === 'string' ? joined : '';
}

function renameMimeKeys(d: Dict): Dict {
  for (const [alias, mime] of MIME_ALIASES) {
    if (alias in d) {
      d[mime] = d[alias]!;
      delete d[alias];
    }
  }
  return d;
}

function upgradeOutput(raw: Dict): Output {
  const type = raw.output_type;
  if (type === 'pyout' || type === 'display_data') {
    const data: MimeBundle = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'output_type' || k === 'prompt_number' || k === 'metadata') continue;
      data[k] = joinText(v)!;
    }
    renameMimeKeys(data);
    const json = data['application/json'];
    if (typeof json === 'string') {
      try {
        data['application/json'] = JSON.parse(json) as JSONValue;
      } catch {
        // keep the text as it was
      }
    }
    const metadata = renameMimeKeys(isDict(raw.metadata) ? { ...raw.metadata } : {}) as JSONObject;
    if (type === 'pyout') {
      const count = raw.prompt_number;
      return { output_type: 'execute_result', execution_count: typeof count === 'number' ? count : null, data, metadata };
    }
    return { output_type: 'display_data', data, metadata };
  }
  if (type === 'pyerr' || type === 'error') {
    return {
      output_type: 'error',
      ename: String(raw.ename ?? ''),
      evalue: String(raw.evalue ?? ''),
      traceback: Array.isArray(raw.traceback) ? raw.traceback.map(String) : [],
    };
  }
  // stream (v3 calls the name `stream`)
  const name = raw.stream ?? raw.name;
  return { output_type: 'stream', name: name === 'stderr' ? 'stderr' : 'stdout', text: str(raw.text) };
}

function upgradeCell(raw: Dict): Cell {
  const metadata = isDict(raw.metadata) ? { ...raw.metadata } : {};
  switch (raw.cell_type) {
    case 'code': {
      if ('collapsed' in raw) metadata.collapsed = raw.collapsed!;
      const count = raw.prompt_number;
      return {
        cell_type: 'code',
        metadata,
        source: str(raw.input),
        execution_count: typeof count === 'number' ? count : null,
        outputs: (Array.isArray(raw.outputs) ? raw.outputs : []).filter(isDict).map(upgradeOutput),
      };
    }
    case 'heading': {
      const level = typeof raw.level === 'number' ? raw.level : 1;
      const text = splitLines(str(raw.source))
        .map((l) => l.replace(/(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/, ''))
        .join(' ');
      return { cell_type: 'markdown', metadata, source: `${'#'.repeat(level)} ${text}` };
    }
    case 'raw':
      return { cell_type: 'raw', metadata, source: str(raw.source) };
    default:
      // markdown, and the historic `html` cell
      return { cell_type: 'markdown', metadata, source: str(raw.source) };
  }
}

/** Convert a parsed nbformat 3 document to a v4 notebook (cells without ids). */
export function upgradeV3(doc: Dict): Notebook {
  const metadata = isDict(doc.metadata) ? { ...doc.metadata } : {};
  delete metadata.name;
  delete metadata.signature;
  const cells: Cell[] = [];
  for (const ws of Array.isArray(doc.worksheets) ? doc.worksheets : []) {
    if (!isDict(ws) || !Array.isArray(ws.cells)) continue;
    for (const cell of ws.cells) if (isDict(cell)) cells.push(upgradeCell(cell));
  }
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

// Ask the project venv's Python nbformat how it would write notebooks, to compare bytes.
// One Python process serves a whole batch.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function venvPython(): string {
  const p = path.join(repoRoot, '.venv', 'bin', 'python');
  return existsSync(p) ? p : 'python3';
}

/** A notebook to write: read from a v4 file (`nbformat.read`, no conversion), or given as JSON text (`from_dict`). */
export type PyNotebookInput = { file: string } | { json: string };

const SCRIPT = `
import json, sys, io, nbformat
out = []
for item in json.load(sys.stdin):
    if "file" in item:
        nb = nbformat.read(item["file"], as_version=nbformat.NO_CONVERT)
    else:
        nb = nbformat.from_dict(json.loads(item["json"]))
    buf = io.StringIO()
    nbformat.write(nb, buf)
    out.append(buf.getvalue())
sys.stdout.write(json.dumps(out))
`;

/** What Python's `nbformat.write` produces for each input (the file text, trailing newline included). */
export function pythonNbformatWrite(inputs: PyNotebookInput[]): string[] {
  const stdout = execFileSync(venvPython(), ['-c', SCRIPT], {
    input: JSON.stringify(inputs),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout) as string[];
}

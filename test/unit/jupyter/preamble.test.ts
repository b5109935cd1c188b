// The Python preamble, run by a real interpreter (no kernel): inline for remote kernels,
// read from the helper's file for local ones, and kept when a warm template made it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { preambleFor, PYTHON_HELPER_FILE } from '../../../src/jupyter/preamble.js';
import { PROJECT_PYTHON } from '../../helpers/venvs.js';

const REPORT = "\nimport os, sys\nm = sys.modules['run_notebook']\nprint(os.environ['RN_T'], hasattr(m, 'get_config_from_env'), getattr(m, 'made_by', 'preamble'))";

function runPython(code: string): string {
  return execFileSync(PROJECT_PYTHON, ['-I', '-c', code], { encoding: 'utf8' }).trim();
}

describe('preamble: the run_notebook helper', () => {
  it('sends the source inline when the kernel may not share our files', () => {
    const code = preambleFor('python', { RN_T: 'inline' })!;
    assert.ok(code.length > readFileSync(PYTHON_HELPER_FILE, 'utf8').length, 'the helper source is in the code');
    assert.equal(runPython(code + REPORT), 'inline True preamble');
  });

  it('sends only the path to a local kernel, which reads the file', () => {
    const code = preambleFor('python', { RN_T: 'local' }, undefined, { helperFile: PYTHON_HELPER_FILE })!;
    assert.ok(code.length < 1000, `a short preamble (${code.length} chars)`);
    assert.equal(runPython(code + REPORT), 'local True preamble');
  });

  it("keeps the module a warm template made from the same file, and replaces any other", () => {
    const code = preambleFor('python', { RN_T: 'warm' }, undefined, { helperFile: PYTHON_HELPER_FILE })!;
    const fake = (marker: string) =>
      `import sys, types\nm = types.ModuleType('run_notebook')\nm.made_by = 'template'\nm.get_config_from_env = None\nm.__run_notebook_helper__ = ${JSON.stringify(marker)}\nsys.modules['run_notebook'] = m\n`;
    assert.equal(runPython(fake(PYTHON_HELPER_FILE) + code + REPORT), 'warm True template');
    assert.equal(runPython(fake('/elsewhere/__init__.py') + code + REPORT), 'warm True preamble');
  });
});

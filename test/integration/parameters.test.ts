// papermill's parameter flags on a real kernel: -p (papermill's type rules), -r (text),
// -f (a YAML file), -y (inline YAML) as the one config of a notebook with a `parameters`
// cell; added to (and overriding) every config of a sweep file and of a Python builder;
// papermill's output path as a second argument is refused in one line.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook, StreamOutput } from '../../src/notebook/types.js';
import { processesMentioning, readJson, runCli, tempDir } from './support.js';

const printed = (dst: string, i: number) =>
  readJson<Notebook>(join(dst, `result_${i}`, 'params.ipynb'))
    .cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : []))
    .filter((o): o is StreamOutput => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text))
    .join('');

describe('-p, -r, -f, -y (papermill\'s parameters)', () => {
  const dir = tempDir('rn-params-');
  const tmp = tempDir('rn-params-proc-');
  const cell = (source: string, tags?: string[]) => ({ cell_type: 'code', execution_count: null, id: `c${Math.random().toString(36).slice(2, 8)}`, metadata: tags ? { tags } : {}, outputs: [], source });
  writeFileSync(
    join(dir, 'params.ipynb'),
    JSON.stringify({
      cells: [
        cell("n = 0\nflag = False\ncode = 'x'\nraw = 'x'\nf = 0.5\nbig = 0\ne = 0\nwhen = 'x'\nyes_no = 'x'\ny = 'x'\nlr = 0.5\n", ['parameters']),
        cell("from run_notebook import get_config_from_env\nfor k in ['n', 'flag', 'code', 'raw', 'f', 'big', 'e', 'when', 'yes_no', 'y', 'lr']:\n    print(k, repr(globals()[k]))\nprint('config', sorted(get_config_from_env().items()))\n"),
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  writeFileSync(join(dir, 'p.yaml'), 'when: 2024-01-02\nyes_no: yes\nn: 1\ny: n\n');
  writeFileSync(join(dir, 'grid.yaml'), 'grid:\n  lr: [0.1, 0.01]\nfixed:\n  n: 1\n');
  writeFileSync(join(dir, 'pconfigs.py'), 'def build():\n    return [{"lr": lr, "n": 1, "code": "b"} for lr in (0.1, 0.01)]\n');
  const nb = join(dir, 'params.ipynb');
  const env = { TMPDIR: tmp };

  after(() => assert.deepEqual(processesMentioning(tmp), []));

  it('without a builder they are the one config, typed as papermill types them, -p winning over -f', async () => {
    const dst = join(dir, 'one');
    const args = [nb, '-f', join(dir, 'p.yaml'), '-p', 'n', '10', '-p', 'flag', 'True', '-p', 'code', '007', '-r', 'raw', '10', '-p', 'f', '1.0', '-p', 'big', '12345678901234567890', '-p', 'e', '1e3', '--dst_dir', dst, '--no_html'];
    const r = await runCli(args, { env });
    assert.equal(r.code, 0, r.stderr);
    const out = printed(dst, 0);
    // papermill: int("007") is 7, float("1e3") is 1000.0; -r keeps the text; PyYAML 1.1 reads `yes` as True, `n` as text, and keeps dates as text.
    for (const line of ['n 10', 'flag True', 'code 7', "raw '10'", 'f 1.0', 'big 12345678901234567890', 'e 1000.0', "when '2024-01-02'", 'yes_no True', "y 'n'", 'lr 0.5']) {
      assert.match(out, new RegExp(`^${line.replace(/[.()]/g, '\\$&')}$`, 'm'), out);
    }
    assert.match(out, /^config \[\('big', 12345678901234567890\), \('code', 7\), \('e', 1000\.0\), \('f', 1\.0\), \('flag', True\), \('n', 10\), \('raw', '10'\), \('when', '2024-01-02'\), \('y', 'n'\), \('yes_no', True\)\]$/m);
  });

  it('with a sweep file (-y) and with a Python builder (-p) they are added to every config and override it', async () => {
    const sweep = await runCli([nb, '--config_builder', join(dir, 'grid.yaml'), '-y', '{n: 3, code: y}', '--dst_dir', join(dir, 'sweep'), '--no_html'], { env });
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.match(printed(join(dir, 'sweep'), 1), /^n 3\n[^]*^lr 0\.01\n/m);
    const py = await runCli([nb, '--config_builder', 'pconfigs.build()', '-p', 'n', '4', '-p', 'extra', 'two words', '--dst_dir', join(dir, 'py'), '--no_html'], { env });
    assert.equal(py.code, 0, py.stderr);
    const out = printed(join(dir, 'py'), 1);
    assert.match(out, /^n 4$/m);
    assert.match(out, /^code 'b'$/m);
    // get_config_from_env() rebuilds the builder's config and adds the same values, so it matches the plan.
    assert.match(out, /^config \[\('code', 'b'\), \('extra', 'two words'\), \('lr', 0\.01\), \('n', 4\)\]$/m);
  });

  it('refuses what it cannot honour, in one line: an output path, a -p without a value, values that make configs equal', async () => {
    const out = await runCli([nb, join(dir, 'out.ipynb'), '--dst_dir', join(dir, 'x')]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /^error: unexpected argument ".*out\.ipynb": give one notebook; results go to --dst_dir DIR/);
    const half = await runCli([nb, '--dst_dir', join(dir, 'x'), '-p', 'n']);
    assert.equal(half.code, 2);
    assert.match(half.stderr, /^error: Not enough arguments following: p\n$/);
    const same = await runCli([nb, '--config_builder', join(dir, 'grid.yaml'), '-p', 'lr', '1', '--dst_dir', join(dir, 'x'), '--dry_run']);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /^error: configs 0 and 1 are the same once the -p\/-r\/-f\/-y values are applied \(they set lr\)\n$/);
  });
});

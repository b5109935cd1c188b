// Sweep flags on experiments, end to end: --abort_on_error and --resources on the embedded
// server, and a remote jupyter_server, Kernel Gateway and Enterprise Gateway through
// --server_url (skipped with one line each when set-up did not install them). --warm and
// --warm_prefix with experiments are tested in warm.test.ts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { markedKernels, newMarker, startFleetServer, stopFleet, unavailable, type FleetKind, type FleetServer } from './fleet.js';
import { fixture, processesMentioning, readJson, runCli, tempDir } from './support.js';

interface RunJson {
  status: string;
  results: { seed?: number; cuda?: string | null };
}
interface Summary {
  runs: { index: number; status: string; this_run: string }[];
}

const marker = newMarker();
const started: FleetServer[] = [];
after(() => stopFleet(started, marker));

function workspace(): string {
  const dir = tempDir('rn-expflags-');
  for (const f of ['trainer.py', 'exp_configs.py', 'probe.py']) copyFileSync(fixture('experiments', f), join(dir, f));
  return dir;
}
const runJson = (dst: string, i: number) => readJson<RunJson>(join(dst, `result_${i}`, 'run.json'));
const experiment = (dir: string, fn: string, args: string[], opts: Parameters<typeof runCli>[1] = {}) =>
  runCli(['experiment', '--experiment_builder', fn, '--config_builder', 'exp_configs.build()', '--no_html', ...args], { cwd: dir, ...opts });

for (const kind of ['server', 'kg', 'eg'] as FleetKind[]) {
  const name = { server: 'a remote jupyter_server', kg: 'Kernel Gateway', eg: 'Enterprise Gateway' }[kind];
  describe(`experiment on ${name}`, { timeout: 300_000 }, () => {
    const why = unavailable(kind);
    if (why) process.stderr.write(`experimentFlags.test: ${name} skipped: ${why}\n`);
    it('runs every config there through --server_url; --incremental then finds them done', { skip: why }, async () => {
      const s = await startFleetServer(kind, { marker });
      started.push(s);
      const dir = workspace();
      const dst = join(dir, 'out');
      // The module is found through the runner's folder on the kernel's sys.path (same machine here).
      const args = ['--dst_dir', dst, '--server_url', s.url, '--token', s.token, '--num_threads', '2'];
      const env = { KERNEL_USERNAME: 'tester' }; // EG refuses root by default
      const r = await experiment(dir, 'probe.run', args, { env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([0, 1, 2].map((i) => runJson(dst, i).results.seed), [1, 2, 3]);
      assert.ok(!r.stderr.includes(s.token) && !r.stdout.includes(s.token), 'no token on the console');
      const again = await experiment(dir, 'probe.run', [...args, '--incremental'], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(readJson<Summary>(join(dst, 'summary.json')).runs.map((x) => x.this_run), ['up_to_date', 'up_to_date', 'up_to_date']);
      const version = readJson<{ servers: { version: string }[] }>(join(dst, 'sweep.json')).servers[0]!.version;
      assert.match(version, { server: /^(jupyter_server )?\d+\.\d+/, kg: /^Kernel Gateway/, eg: /^Enterprise Gateway 3\./ }[kind], version);
      assert.deepEqual(markedKernels(marker, started.map((x) => x.pid)), [], 'no kernel left');
    });
  });
}

describe('experiment with sweep flags on the embedded server', { concurrency: 2, timeout: 300_000 }, () => {
  it('--abort_on_error: the first failed config stops the sweep, the rest are not started', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-expflags-tmp-');
    const dst = join(dir, 'out');
    const r = await runCli(['experiment', '--cwd', dir, '--experiment_builder', 'trainer.run', '--config_builder', 'exp_configs.build(fail_seed=1)', '--dst_dir', dst, '--num_threads', '1', '--abort_on_error', '--no_html'], { tmp });
    assert.equal(r.code, 1, r.stderr);
    const runs = readJson<Summary>(join(dst, 'summary.json')).runs;
    assert.deepEqual(runs.map((x) => [x.status, x.this_run]), [['failed', 'ran'], ['not_run', 'not_started'], ['not_run', 'not_started']]);
    assert.deepEqual(processesMentioning(tmp), []);
  });

  it('--resources gives each run its slot as CUDA_VISIBLE_DEVICES', async () => {
    const dir = workspace();
    const tmp = tempDir('rn-expflags-tmp-');
    const res = join(dir, 'res');
    const r = await experiment(dir, 'probe.run', ['--dst_dir', res, '--resources', '7,8', '--num_threads', '2'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    const slots = [0, 1, 2].map((i) => runJson(res, i).results.cuda);
    assert.ok(slots.every((c) => c === '7' || c === '8'), JSON.stringify(slots));
    assert.equal(new Set(slots).size, 2, `both slots used: ${JSON.stringify(slots)}`);
    assert.deepEqual(processesMentioning(tmp), []);
  });
});

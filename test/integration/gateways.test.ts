// Real Enterprise Gateway (local process proxy) and Kernel Gateway: detection, the env
// a gateway lets through (read back from the kernel's /proc/self/environ), values a
// gateway would refuse, EG's refusal of root, the kernel's cwd, and no token anywhere.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { markedKernels, newMarker, startFleetServer, stopFleet, unavailable, type FleetServer } from './fleet.js';
import { fixture, readJson, runCli, tempDir } from './support.js';

const marker = newMarker();
const started: FleetServer[] = [];
after(() => stopFleet(started, marker));

interface Results {
  proc_keys: string[];
  kernel_username: string | null;
  cwd: string;
  cfg_len: number;
  dollar: string | null;
}

async function start(kind: 'eg' | 'kg' | 'server', env: Record<string, string> = {}, rootDir?: string): Promise<FleetServer> {
  const s = await startFleetServer(kind, { marker, env, rootDir });
  started.push(s);
  return s;
}

async function sweep(s: FleetServer, env: Record<string, string> = {}) {
  const dst = tempDir();
  const r = await runCli(['--notebook', fixture('scaleout', 'env.ipynb'), '--config_builder', fixture('scaleout', 'big.yaml'), '--dst_dir', dst, '--server_url', s.url, '--token', s.token, '--no_html'], { env });
  const results = (i: number) => readJson<{ results: Results }>(join(dst, `result_${i}`, 'run.json')).results;
  return { r, dst, results };
}

/** Every file under dir, read as text. */
function allText(dir: string): string {
  let out = '';
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'latin1');
  }
  return out;
}

function assertNoToken(s: FleetServer, dst: string, console: string): void {
  assert.ok(!console.includes(s.token), 'token on the console');
  assert.ok(!allText(dst).includes(s.token), 'token in a result file');
  assert.ok(!s.logSinceStart().includes(s.token), "token in the server's log");
}

const BIG_JSON = 5019; // JSON.stringify of config 1 in big.yaml

describe('gateways', { timeout: 240_000 }, () => {
  it('Enterprise Gateway refusing the user gives one clear line naming KERNEL_USERNAME, and no retry is spent', { skip: unavailable('eg') }, async () => {
    // As root (CI) EG's default refuses it; as anyone else, tell EG to refuse that user.
    const user = (await import('node:os')).userInfo().username;
    const s = await start('eg', { EG_UNAUTHORIZED_USERS: user });
    const { r, dst } = await sweep(s, { KERNEL_USERNAME: '' });
    assert.notEqual(r.code, 0);
    const lines = r.stderr.split('\n').filter((l) => /not authorized/.test(l));
    assert.ok(lines.length >= 1, r.stderr);
    assert.match(lines[0]!, /HTTP 403: User '.+' is not authorized .*fix: set KERNEL_USERNAME/);
    assertNoToken(s, dst, r.stdout + r.stderr);
  });

  it('Enterprise Gateway with default settings: KERNEL_* arrive, a 5,000-character config and a `$` still work', { skip: unavailable('eg') }, async () => {
    const s = await start('eg');
    const { r, dst, results } = await sweep(s, { KERNEL_USERNAME: 'tester', KERNEL_EXTRA: 'from-runner' });
    assert.equal(r.code, 0, r.stderr);
    const a = results(0);
    assert.equal(a.kernel_username, 'tester');
    assert.ok(a.proc_keys.includes('KERNEL_EXTRA') && a.proc_keys.includes('KERNEL_LAUNCH_TIMEOUT'), a.proc_keys.join());
    // Without client_envs EG drops the run variables: the preamble set them instead.
    assert.ok(!a.proc_keys.includes('__CONFIG_IDX__'));
    assert.equal(a.dollar, 'cost $5 `x`');
    assert.equal(results(1).cfg_len, BIG_JSON);
    assert.ok(JSON.parse(readFileSync(join(dst, 'sweep.json'), 'utf8')).servers[0].version.startsWith('Enterprise Gateway 3.'));
    assertNoToken(s, dst, r.stdout + r.stderr);
  });

  it("Enterprise Gateway with EG_CLIENT_ENVS='*': run variables reach the kernel's process environment, refused values stay out", { skip: unavailable('eg') }, async () => {
    const s = await start('eg', { EG_CLIENT_ENVS: '*' });
    const { r, results } = await sweep(s, { KERNEL_USERNAME: 'tester' });
    assert.equal(r.code, 0, r.stderr);
    for (const i of [0, 1]) {
      const keys = results(i).proc_keys;
      assert.ok(keys.includes('__CONFIG_IDX__') && keys.includes('__CONFIG_DST_DIR__'), keys.join());
      // Config 0's JSON holds `$`, config 1's is over 4096 characters: sent, EG would refuse the start.
      assert.ok(!keys.includes('__NOTEBOOK_CONFIG_JSON__'), keys.join());
    }
    assert.equal(results(0).dollar, 'cost $5 `x`');
    assert.equal(results(1).cfg_len, BIG_JSON);
  });

  it('Kernel Gateway is detected (its /api has no gateway_version) and gets env; kernels start in its root', { skip: unavailable('kg') }, async () => {
    const s = await start('kg');
    const { r, dst, results } = await sweep(s, { KERNEL_USERNAME: 'kg-user' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readJson<{ servers: { version: string }[] }>(join(dst, 'sweep.json')).servers[0]!.version, /^Kernel Gateway/);
    assert.equal(results(0).kernel_username, 'kg-user');
    assert.equal(results(1).cfg_len, BIG_JSON);
    assertNoToken(s, dst, r.stdout + r.stderr);
  });

  it("on a plain jupyter_server without --cwd, kernels start in its root_dir, not the server process's cwd", { skip: unavailable('server') }, async () => {
    const root = tempDir('rn-root-');
    const s = await start('server', {}, root);
    const { r, dst, results } = await sweep(s);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(results(0).cwd, root);
    assertNoToken(s, dst, r.stdout + r.stderr);
    assert.deepEqual(markedKernels(marker, started.map((x) => x.pid)), [], 'no kernel left');
  });
});

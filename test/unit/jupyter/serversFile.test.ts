import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadServersFile, parseServersDoc, specsFromUrls } from '../../../src/jupyter/serversFile.js';

const ctx = (env: Record<string, string> = {}) => ({ where: 'servers.yaml', baseDir: tmpdir(), env });

describe('servers file', () => {
  it('reads YAML with token_env and token_file, slots, kind, env, resources, artifacts and timing', () => {
    const d = mkdtempSync(join(tmpdir(), 'rn-srv-'));
    writeFileSync(join(d, 'tok'), 'file-token\n');
    writeFileSync(
      join(d, 'servers.yaml'),
      `probe_interval: 0.5
missed_probes: 2
servers:
  - name: a
    url: http://host-a:8888/lab
    token_env: A_TOKEN
    slots: 3
  - url: http://host-b:9999/base/
    token_file: tok
    kind: gateway
    env: {KERNEL_USERNAME: alice, KERNEL_CPUS: 2}
    resources: "0,1"
    artifacts: none
`,
    );
    const c = loadServersFile(join(d, 'servers.yaml'), { A_TOKEN: 'env-token' });
    assert.equal(c.timing.probeIntervalSec, 0.5);
    assert.equal(c.timing.missedProbes, 2);
    const [a, b] = c.servers;
    assert.deepEqual(a, { name: 'a', url: 'http://host-a:8888/', token: 'env-token', slots: 3, kind: undefined, env: {}, resources: undefined, artifacts: undefined });
    assert.equal(b!.name, 'host-b:9999/base');
    assert.equal(b!.token, 'file-token');
    assert.equal(b!.slots, 2, 'slots default to the device groups');
    assert.deepEqual(b!.env, { KERNEL_USERNAME: 'alice', KERNEL_CPUS: '2' });
    assert.equal(b!.kind, 'gateway');
    assert.equal(b!.artifacts, 'none');
  });

  it('refuses a literal token, in a key or in the URL, without printing it', () => {
    assert.throws(() => parseServersDoc({ servers: [{ url: 'http://h/', token: 's3cret' }] }, ctx()), (e: Error) => /literal token/.test(e.message) && !e.message.includes('s3cret'));
    assert.throws(() => parseServersDoc([{ url: 'http://h/?token=s3cret' }], ctx()), (e: Error) => /token_env or token_file/.test(e.message) && !e.message.includes('s3cret'));
  });

  it('one-line errors for unknown keys, unset token_env, bad slots, duplicate names', () => {
    assert.throws(() => parseServersDoc([{ url: 'http://h/', slot: 2 }], ctx()), /unknown key "slot"/);
    assert.throws(() => parseServersDoc([{ url: 'http://h/', token_env: 'NOPE' }], ctx()), /NOPE, which is not set/);
    assert.throws(() => parseServersDoc([{ url: 'http://h/', slots: 0 }], ctx()), /slots must be a whole number/);
    assert.throws(() => parseServersDoc([{ url: 'http://h/', name: 'x' }, { url: 'http://g/', name: 'x' }], ctx()), /used twice/);
    assert.throws(() => parseServersDoc({ servers: [] }, ctx()), /non-empty list/);
  });

  it('repeated --server_url: each may carry ?token=, else the shared token', () => {
    const s = specsFromUrls(['http://a:1/?token=ta', 'http://b:2/user/me/lab'], 'shared');
    assert.deepEqual(s.map((x) => [x.url, x.token]), [
      ['http://a:1/', 'ta'],
      ['http://b:2/user/me/', 'shared'],
    ]);
  });
});

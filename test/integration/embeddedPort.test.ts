// The port race: the runner picks a free port, frees it, and the server binds it a moment
// later; another runner starting at the same moment can take it first. Forced here: two
// embedded servers start at once and are both handed the same port first. One binds it, the
// other reports "port N is not available" and must start again on another port.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startEmbeddedServer, type JupyterServer } from '../../src/jupyter/index.js';
import { processesMentioning, tempDir } from './support.js';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

describe('embedded server start-up when its port is taken', () => {
  it('two servers starting at once on the same port both come up', { timeout: 180_000 }, async () => {
    const marker = tempDir('rn-port-race-');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = marker;
    const contested = await freePort();
    const logs: string[] = [];
    const start = () => {
      let first = true;
      const pickPort = async () => (first ? ((first = false), contested) : freePort());
      return startEmbeddedServer({ pickPort, startTimeoutSec: 120, onLog: (l) => logs.push(l) });
    };
    const servers: JupyterServer[] = [];
    try {
      const results = await Promise.allSettled([start(), start()]);
      for (const r of results) if (r.status === 'fulfilled') servers.push(r.value);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled'], results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join('; '));
      const ports = servers.map((s) => new URL(s.label).port);
      assert.ok(ports.includes(String(contested)), `one server has port ${contested}: ${ports}`);
      assert.notEqual(ports[0], ports[1]);
      assert.ok(logs.some((l) => new RegExp(`port ${contested} was taken .*starting it again on another port`).test(l)), logs.join('\n'));
      for (const s of servers) {
        const r = await fetch(new URL('api/status', s.label), { headers: { Authorization: `token ${s.settings.token}` }, signal: AbortSignal.timeout(10_000) });
        assert.equal(r.status, 200);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      process.env.TMPDIR = saved;
    }
    assert.deepEqual(processesMentioning(marker), []);
  });
});

// The scale-out test rig itself: every kind of server starts from what set-up installed,
// leaves nothing behind, and the TCP proxy fails the way it is told to.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { markedProcesses, newMarker, startFleetServer, stopFleet, unavailable, type FleetKind, type FleetServer } from './fleet.js';
import { TcpProxy } from './tcpProxy.js';

const marker = newMarker();
const started: FleetServer[] = [];
after(() => stopFleet(started, marker));

async function status(url: string, token: string, timeoutMs = 3000): Promise<number | string> {
  try {
    const r = await fetch(url + 'api/kernelspecs', { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    await r.body?.cancel();
    return r.status;
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    return e.name === 'TimeoutError' ? 'timeout' : e.cause?.code ?? String(err);
  }
}

describe('fleet', { timeout: 120_000 }, () => {
  for (const kind of ['server', 'kg', 'eg'] as FleetKind[]) {
    const why = unavailable(kind);
    it(`starts a ${kind} on 127.0.0.1 with its token`, { skip: why }, async () => {
      const s = await startFleetServer(kind, { marker });
      started.push(s);
      assert.equal(await status(s.url, s.token), 200);
      assert.equal(await status(s.url, 'wrong'), kind === 'server' ? 403 : 401);
      assert.ok(markedProcesses(marker).includes(s.pid));
      assert.ok(!s.log().includes(s.token) || kind === 'server', 'gateways never print their token');
    });
  }

  it('proxy passes, black-holes, refuses and cuts on command', { skip: unavailable('server') }, async () => {
    const s = started.find((x) => x.kind === 'server') ?? (await startFleetServer('server', { marker }));
    if (!started.includes(s)) started.push(s);
    const proxy = await new TcpProxy(s.port).start();
    try {
      assert.equal(await status(proxy.url, s.token), 200);
      proxy.blackhole();
      assert.equal(await status(proxy.url, s.token, 800), 'timeout');
      await proxy.refuse();
      // fetch may first try a kept-alive socket, which the refusal reset.
      assert.match(String(await status(proxy.url, s.token)), /ECONNREFUSED|ECONNRESET/);
      assert.equal(await status(proxy.url, s.token), 'ECONNREFUSED');
      await proxy.pass();
      assert.equal(await status(proxy.url, s.token), 200);
      // A request in flight when the link is cut fails with a reset, not a hang.
      proxy.blackhole();
      const pending = status(proxy.url, s.token, 5000);
      await new Promise((r) => setTimeout(r, 200));
      proxy.cut();
      const got = await pending;
      assert.notEqual(got, 200);
      assert.notEqual(got, 'timeout');
    } finally {
      await proxy.close();
    }
  });

  it('stopFleet leaves no marked process', async () => {
    await stopFleet(started.splice(0), marker);
    assert.deepEqual(markedProcesses(marker), []);
  });
});

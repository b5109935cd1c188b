// The pool's lost-server rules with fake servers: a lost server takes no runs, the
// embedded one is replaced once, and the pool says when no server is left.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServerHealth, ServerLostError, ServerPool, type JupyterServer } from '../../../src/jupyter/index.js';
import { makeSettings } from '../../../src/jupyter/settings.js';

function fake(name: string, embedded = true): JupyterServer & { stopped: boolean } {
  const settings = makeSettings(`http://127.0.0.1:1/${name}/`, 'secret-token');
  const s = { label: name, settings, kernelspecDir: embedded ? '/nonexistent/kernels' : undefined, isGateway: false, version: 'fake', health: new ServerHealth(settings, { embedded }), ownKernels: new Set<string>(), stopped: false, stop: async () => void (s.stopped = true) };
  return s;
}

describe('ServerPool and lost servers', () => {
  it('restarts a lost embedded server once, then reports no server left', async () => {
    const first = fake('a');
    const second = fake('b');
    const lost: string[] = [];
    const pool = new ServerPool([first], { restart: async () => second, maxRestarts: 1 });
    pool.onLost((e, restarting) => lost.push(`${e.message} ${restarting}`));
    let exhausted: ServerLostError | undefined;
    pool.onExhausted((e) => (exhausted = e));
    first.health.markLost('the process was killed (SIGKILL)');
    assert.equal(await pool.use(async (s) => s.label), 'b');
    assert.equal(exhausted, undefined);
    second.health.markLost('the process exited with code 1');
    await new Promise((r) => setImmediate(r));
    const gone = exhausted as ServerLostError | undefined;
    assert.ok(gone instanceof ServerLostError);
    assert.equal(gone.message, 'the Jupyter server died: the process exited with code 1');
    await assert.rejects(pool.use(async () => 'never'), ServerLostError);
    assert.deepEqual(lost, ['the Jupyter server died: the process was killed (SIGKILL) true', 'the Jupyter server died: the process exited with code 1 false']);
    await pool.stopAll();
    assert.ok(first.stopped && second.stopped, 'lost servers are stopped too');
  });

  it('skips a lost remote server and names its URL without the token', async () => {
    const a = fake('a', false);
    const b = fake('b', false);
    const pool = new ServerPool([a, b]);
    a.health.markLost('no answer to GET /api for 31s');
    assert.equal(await pool.use(async (s) => s.label), 'b');
    assert.equal(pool.exhausted, undefined);
    let told = false;
    pool.onExhausted(() => (told = true));
    b.health.markLost('no answer to GET /api for 31s');
    await new Promise((r) => setImmediate(r));
    assert.ok(told, 'the pool says when no server is left');
    const err = pool.exhausted!;
    assert.match(err.message, /^lost the Jupyter server at http:\/\/127\.0\.0\.1:1\/[ab]\/: no answer to GET \/api for 31s$/);
    assert.ok(!err.message.includes('secret-token'));
  });

  it('a health watch with a short grace marks an unreachable server lost', async () => {
    const settings = makeSettings('http://127.0.0.1:9/', 't');
    const h = new ServerHealth(settings, { graceSec: 0.3, embedded: false });
    const seen = new Promise<ServerLostError>((res) => h.onLost(res));
    h.startProbing();
    const keepAlive = setTimeout(() => undefined, 10_000); // the probe's own timer does not hold the process
    const err = await seen;
    clearTimeout(keepAlive);
    assert.match(err.message, /^lost the Jupyter server at http:\/\/127\.0\.0\.1:9\/: no answer to GET \/api for \ds$/);
    h.close();
  });
});

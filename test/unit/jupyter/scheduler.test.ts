import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JupyterServer } from '../../../src/jupyter/server.js';
import { NoUsableServerError, ServerScheduler, type SchedulerHooks } from '../../../src/jupyter/scheduler.js';
import { DEFAULT_TIMING } from '../../../src/jupyter/serversFile.js';

const fake = (label: string) => ({ label, isGateway: false, version: 'fake' }) as unknown as JupyterServer;

function rig(slots: number[], hooks: Partial<SchedulerHooks> = {}, timing = {}) {
  const servers = slots.map((n, i) => ({ name: `s${i}`, server: fake(`s${i}`), slots: n }));
  const log: string[] = [];
  const up = new Set(servers.map((s) => s.server.label));
  const deleted: string[] = [];
  const abandoned: string[] = [];
  const sched = new ServerScheduler(servers, { ...DEFAULT_TIMING, probeIntervalSec: 0.02, missedProbes: 2, ...timing }, {
    probe: async (s) => up.has(s.label),
    reconnect: async (e) => fake(e.name),
    abandon: (s) => abandoned.push(s.label),
    deleteKernel: async (_s, id) => void deleted.push(id),
    notify: (m) => log.push(m),
    ...hooks,
  });
  return { sched, log, up, deleted, abandoned };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
/** Polls (the probes run on timers) until cond holds, for at most 5 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !cond(); i++) await tick(20);
}

describe('server scheduler', () => {
  // The scheduler's timers do not hold the process open (the sweep does): these tests must.
  let keep: NodeJS.Timeout;
  before(() => (keep = setInterval(() => undefined, 1000)));
  after(() => clearInterval(keep));
  it('fills every server up to its slots, then queues; a freed slot goes to the oldest request', async () => {
    const { sched } = rig([2, 1]);
    const a = await Promise.all([sched.acquire(), sched.acquire(), sched.acquire()]);
    assert.deepEqual(a.map((l) => l.entry.name).sort(), ['s0', 's0', 's1']);
    const order: number[] = [];
    const w1 = sched.acquire().then((l) => (order.push(1), l));
    const w2 = sched.acquire().then((l) => (order.push(2), l));
    await tick();
    assert.deepEqual(order, []);
    a.find((l) => l.entry.name === 's1')!.release();
    const l1 = await w1;
    assert.equal(l1.entry.name, 's1');
    a[0]!.release();
    await w2;
    assert.deepEqual(order, [1, 2]);
    a[0]!.release(); // idempotent
    assert.equal(sched.entries[0]!.kernels, 2);
  });

  it("a server's resources: each kernel gets a device group no other kernel there holds; a freed group is taken again", async () => {
    const sched = new ServerScheduler([{ name: 'gpu', server: fake('gpu'), slots: 2, devices: [['0', '1'], ['2', '3']] }, { name: 'cpu', server: fake('cpu'), slots: 1 }], DEFAULT_TIMING, {
      probe: async () => true,
      reconnect: async (e) => fake(e.name),
      abandon: () => undefined,
      deleteKernel: async () => undefined,
      notify: () => undefined,
    });
    const [a, b, c] = await Promise.all([sched.acquire(), sched.acquire(), sched.acquire()]);
    const onGpu = [a!, b!, c!].filter((l) => l.entry.name === 'gpu');
    assert.deepEqual(onGpu.map((l) => l.devices), [['0', '1'], ['2', '3']]);
    assert.equal([a!, b!, c!].find((l) => l.entry.name === 'cpu')!.devices, undefined);
    onGpu[0]!.release();
    const d = await sched.acquire();
    assert.deepEqual(d.devices, onGpu[0]!.devices, 'the freed group');
    sched.stop();
  });

  it('a retry avoids the server it failed on while another can take it', async () => {
    const { sched } = rig([1, 1]);
    const first = await sched.acquire({ avoid: 's0' });
    assert.equal(first.entry.name, 's1');
    first.release();
    const only = rig([1]).sched;
    assert.equal((await only.acquire({ avoid: 's0' })).entry.name, 's0', 'the only server still serves');
  });

  it('"Resource Limit" shrinks the budget for the backoff, then it grows back; nothing fails', async () => {
    const { sched } = rig([3], {}, { backoffSec: 0.1 });
    const a = await sched.acquire();
    const b = await sched.acquire();
    sched.full(b.entry);
    b.release();
    const t0 = Date.now();
    const c = await sched.acquire();
    assert.ok(Date.now() - t0 >= 90, 'waited for the backoff');
    assert.equal(c.entry.name, 's0');
    a.release();
    c.release();
  });

  it('missed probes mark a server down (sessions abandoned, runs go elsewhere); answering again re-admits it and deletes its orphans', async () => {
    const { sched, up, deleted, abandoned, log } = rig([1, 1]);
    sched.start();
    const l = await sched.acquire();
    const name = l.entry.name;
    l.kernelId = 'k-orphan';
    up.delete(name);
    await until(() => l.entry.state === 'down');
    assert.equal(l.entry.state, 'down');
    assert.deepEqual(abandoned, [name]);
    l.release();
    const other = await sched.acquire();
    assert.notEqual(other.entry.name, name);
    up.add(name);
    await until(() => l.entry.state === 'up' && deleted.length > 0);
    assert.equal(l.entry.state, 'up');
    assert.deepEqual(deleted, ['k-orphan']);
    assert.ok(log.some((m) => /re-admitted, 1 orphaned/.test(m)), log.join('\n'));
    sched.stop();
  });

  it('retires after repeated server problems; with none left every request fails with NoUsableServerError', async () => {
    const { sched } = rig([1], {}, { maxFailures: 2 });
    const waiting = (async () => {
      const l = await sched.acquire();
      sched.failed(l.entry, 'ECONNREFUSED', true);
      l.release();
      const l2 = await sched.acquire();
      const next = sched.acquire();
      sched.failed(l2.entry, 'ECONNREFUSED', true);
      l2.release();
      return next;
    })();
    await assert.rejects(waiting, (e: Error) => e instanceof NoUsableServerError && /2 server problems in a row/.test(e.message));
    await assert.rejects(sched.acquire(), NoUsableServerError);
    assert.equal(sched.table()[0]!.requeues, 2);
  });

  it('a server down longer than retire_after is retired', async () => {
    const { sched, up } = rig([1], {}, { retireAfterSec: 0.05 });
    sched.start();
    up.clear();
    await until(() => sched.entries[0]!.state === 'retired');
    assert.equal(sched.entries[0]!.state, 'retired');
    sched.stop();
  });
});

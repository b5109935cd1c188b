// Fault suite: the Jupyter server goes away mid-sweep (killed, stopped, kernels dying
// under it). The runner must end within a bound, record what happened, restart its
// own server once, and leave no process and no half-written file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoProcessLeft,
  assertTreeIntact,
  errorLines,
  kernelsOn,
  runJson,
  runRunner,
  serverPidOf,
  sleep,
  startRemoteServer,
  startRunner,
  summaryJson,
  sweepWorkspace,
  waitFor,
  waitForFile,
  type Runner,
} from './support.js';

// Generous per test: under a load of 20-40 a runner and its server take tens of seconds to
// start. The promises themselves are timed from the fault, on what the runner records.
const T = { timeout: 240_000 };

/** events.jsonl's lines so far (whole lines only: each is written and fsynced at once). */
function logged(dst: string): { event: string; index?: number; status?: string; restarting?: boolean; error?: string }[] {
  try {
    return readFileSync(join(dst, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** Waits until run `index` is recorded as ended (run.json written and events.jsonl says so); returns the ms it took. */
async function recorded(r: Runner, dst: string, index: number, ms: number): Promise<number> {
  const t = Date.now();
  const ended = () => existsSync(join(dst, `result_${index}`, 'run.json')) && logged(dst).some((e) => e.event === 'run_finished' && e.index === index);
  await waitFor(ended, ms, `run ${index} to be recorded`).catch((err: Error) => {
    throw new Error(`${err.message}\nevents: ${JSON.stringify(logged(dst).map((e) => [e.event, e.index]))}\nrunner:\n${r.stderr()}`);
  });
  return Date.now() - t;
}

describe('faults: the embedded server', () => {
  it('killed while run 0 executes: run 0 fails as "the Jupyter server died", the server restarts once, the rest run', T, async () => {
    const w = sweepWorkspace([{ sleep: 60 }, {}, {}, {}], { sleep: 0.1 });
    const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1'], { limitSec: 220 });
    await waitForFile(r, join(w.dst, 'started_0'), 120_000);
    const pid = serverPidOf(r);
    assert.ok(pid, 'the embedded server process is found by its marker');
    process.kill(pid, 'SIGKILL');
    // Within seconds (not after the cell's 60 s): run 0 is recorded as failed.
    const took = await recorded(r, w.dst, 0, 30_000);
    assert.ok(took < 30_000, `run 0 recorded ${took} ms after the kill`);
    const res = await r.done;
    assert.equal(res.code, 1, res.stderr);
    const lost = logged(w.dst).filter((e) => e.event === 'server_lost');
    assert.deepEqual(lost.map((e) => e.restarting), [true], 'events.jsonl: the server lost once, restarted');
    const run0 = runJson(w.dst, 0);
    assert.equal(run0.status, 'failed');
    assert.match(run0.error!, /^the Jupyter server died while running cell 3: the process was killed \(SIGKILL\)$/);
    for (const i of [1, 2, 3]) assert.equal(runJson(w.dst, i).status, 'success', `run ${i}`);
    assert.match(res.stderr, /the Jupyter server died: the process was killed \(SIGKILL\); restarting it \(once\)/);
    assert.deepEqual(errorLines(res.stderr), []);
    assert.deepEqual(summaryJson(w.dst).runs.map((x) => x.status), ['failed', 'success', 'success', 'success']);
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });

  it('killed twice: both running runs fail, the rest are not started, the summary is written, exit 1', T, async () => {
    const w = sweepWorkspace([{ sleep: 60 }, { sleep: 60 }, {}, {}], { sleep: 0.1 });
    const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1'], { limitSec: 220 });
    await waitForFile(r, join(w.dst, 'started_0'), 120_000);
    const first = serverPidOf(r)!;
    process.kill(first, 'SIGKILL');
    await recorded(r, w.dst, 0, 30_000);
    // Run 1 executes on the restarted server: its kernel wrote started_1.
    await waitForFile(r, join(w.dst, 'started_1'), 120_000);
    const second = serverPidOf(r)!;
    assert.ok(second, 'the restarted server is found by its marker');
    assert.notEqual(second, first);
    process.kill(second, 'SIGKILL');
    await recorded(r, w.dst, 1, 30_000);
    const res = await r.done;
    assert.equal(res.code, 1, res.stderr);
    assert.deepEqual(errorLines(res.stderr), ['error: the Jupyter server died: the process was killed (SIGKILL), again after a restart; 2 runs not started (resume with --incremental)']);
    const rows = summaryJson(w.dst).runs;
    assert.deepEqual(rows.map((x) => x.status), ['failed', 'failed', 'not_run', 'not_run']);
    assert.deepEqual(rows.map((x) => x.this_run), ['ran', 'ran', 'not_started', 'not_started']);
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });
});

describe('faults: the embedded server stopped', () => {
  it('stopped (SIGSTOP) past --server_grace: lost within the bound, killed, restarted; the run fails, the next succeeds', T, async () => {
    const w = sweepWorkspace([{ sleep: 60 }, {}], { sleep: 0.1 });
    const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1', '--server_grace', '3'], { limitSec: 220 });
    await waitForFile(r, join(w.dst, 'started_0'), 120_000);
    process.kill(serverPidOf(r)!, 'SIGSTOP');
    // --server_grace 3 plus a probe and the record, long before the cell's 60 s.
    const took = await recorded(r, w.dst, 0, 40_000);
    assert.ok(took < 40_000, `run 0 recorded ${took} ms after the stop`);
    const res = await r.done;
    assert.equal(res.code, 1, res.stderr);
    assert.match(runJson(w.dst, 0).error!, /^the Jupyter server died while running cell 3: (no answer to GET \/api for \d+s|its WebSocket stayed connecting for 3s)$/);
    assert.equal(runJson(w.dst, 1).status, 'success');
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(r.marker);
  });
});

describe('faults: a remote server', () => {
  let remote: Awaited<ReturnType<typeof startRemoteServer>>;
  before(async () => {
    remote = await startRemoteServer();
  });
  after(async () => {
    await remote?.server.stop();
  });
  // The "remote" server shares this machine's disk, and the tests watch files the notebook
  // writes into dst_dir while it runs: shared storage, so no kernel-side scratch folder.
  const remoteArgs = () => ['--server_url', remote.url, '--artifacts', 'none'];
  const remoteEnv = () => ({ JUPYTER_TOKEN: remote.token });

  it('a kernel that dies (os._exit) is shut down by id although the server restarts it', T, async () => {
    const w = sweepWorkspace([{ mode: 'exit' }, { mode: 'exit' }]);
    const res = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '2', ...remoteArgs()], { env: remoteEnv() });
    assert.equal(res.code, 1, res.stderr);
    assert.match(runJson(w.dst, 0).error!, /^kernel died while running cell 4$/);
    assert.deepEqual(await kernelsOn(remote.server), [], 'no kernel of the runner is left on the server');
    assertTreeIntact(w.dst);
  });

  it('a kernel that segfaults is shut down by id too, and its run fails naming the death', T, async () => {
    const w = sweepWorkspace([{ mode: 'segfault' }, {}]);
    const res = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1', ...remoteArgs()], { env: remoteEnv() });
    assert.equal(res.code, 1, res.stderr);
    assert.match(runJson(w.dst, 0).error!, /^kernel died while running cell 4$/);
    assert.equal(runJson(w.dst, 1).status, 'success', 'the next run gets a kernel of its own');
    assert.deepEqual(await kernelsOn(remote.server), [], 'no kernel of the runner is left on the server');
    assertTreeIntact(w.dst);
  });

  it('stopped (SIGSTOP) for less than --server_grace: the sweep carries on', T, async () => {
    const w = sweepWorkspace([{ sleep: 3 }]);
    const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--server_grace', '20', ...remoteArgs()], { env: remoteEnv() });
    await waitForFile(r, join(w.dst, 'started_0'), 120_000);
    process.kill(remote.pid()!, 'SIGSTOP');
    await sleep(1500);
    process.kill(remote.pid()!, 'SIGCONT');
    const res = await r.done;
    assert.equal(res.code, 0, res.stderr);
    assert.equal(runJson(w.dst, 0).status, 'success');
    assertTreeIntact(w.dst);
  });
});

describe('faults: a remote server that goes away', () => {
  it('killed mid-run: the run fails naming the URL, no more runs start on it, exit 2; --incremental resumes elsewhere', T, async () => {
    const remote = await startRemoteServer();
    const other = await startRemoteServer();
    try {
      const w = sweepWorkspace([{ sleep: 30 }, {}, {}]);
      const t0 = Date.now();
      const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1', '--server_grace', '3', '--server_url', remote.url, '--artifacts', 'none'], {
        env: { JUPYTER_TOKEN: remote.token },
      });
      await waitForFile(r, join(w.dst, 'started_0'), 120_000);
      const killedAt = Date.now();
      process.kill(-remote.pid()!, 'SIGKILL');
      const res = await r.done;
      assert.equal(res.code, 2, res.stderr);
      // Grace 3 s plus a probe, the summary and shutdown: generous for a loaded 2-core machine.
      assert.ok(Date.now() - killedAt < 45_000, `bounded after the kill (${Date.now() - killedAt} ms; ${Date.now() - t0} ms in all)`);
      const url = remote.url.replace(/[/.]/g, (c) => `\\${c}`);
      assert.match(runJson(w.dst, 0).error!, new RegExp(`^lost the Jupyter server at ${url} while running cell 3: `));
      const lines = errorLines(res.stderr);
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, new RegExp(`^error: lost the Jupyter server at ${url}: .*; 2 runs not started \\(resume with --incremental\\)$`));
      assert.ok(!res.stderr.includes(remote.token), 'the token is never printed');
      assert.deepEqual(summaryJson(w.dst).runs.map((x) => x.this_run), ['ran', 'not_started', 'not_started']);
      assertTreeIntact(w.dst);
      await assertNoProcessLeft(r.marker);

      writeFileSync(join(w.dst, 'fast'), ''); // run 0 need not sleep again
      const again = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--incremental', '--server_url', other.url, '--artifacts', 'none'], {
        env: { JUPYTER_TOKEN: other.token },
      });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(summaryJson(w.dst).runs.map((x) => x.status), ['success', 'success', 'success']);
      assertTreeIntact(w.dst);
    } finally {
      await remote.server.stop();
      await other.server.stop();
    }
  });
});


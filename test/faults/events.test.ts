// Fault suite: the runner itself goes away. Killed outright (SIGKILL), it leaves a
// truthful events.jsonl, and the next invocations (configs, results, a sweep of other
// configs, --incremental) report the run it was running as cancelled until it runs
// again. Interrupted (SIGINT), it records the interrupt and every run's end itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoProcessLeft, assertTreeIntact, runRunner, serverPidOf, startRunner, summaryJson, sweepWorkspace, waitFor, waitForFile } from './support.js';

const T = { timeout: 240_000 };

interface Line {
  event: string;
  time: string;
  pid: number;
  host: string;
  sweep: string;
  index?: number;
  status?: string;
  queued?: number[];
  interrupted?: boolean;
}

const events = (dst: string): Line[] =>
  readFileSync(join(dst, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

const summaryStatus = (dst: string, i: number): string | undefined => {
  try {
    return summaryJson(dst).runs.find((r) => r.index === i)?.status;
  } catch {
    return undefined; // being replaced right now
  }
};

describe('faults: the runner killed, and the event log', () => {
  it('SIGKILL mid-run: events.jsonl is whole; configs, results and the next summary say cancelled; --incremental resumes', T, async () => {
    const w = sweepWorkspace([{ sleep: 30 }, {}]);
    const args = ['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1'];
    const r = startRunner(args);
    await waitForFile(r, join(w.dst, 'started_0'));
    // The live summary says run 0 is running (it is written at most every 2 s).
    await waitFor(() => summaryStatus(w.dst, 0) === 'running', 30_000, 'the live summary to show run 0 running');
    assert.ok(serverPidOf(r));
    r.child.kill('SIGKILL');
    await r.done;
    await assertNoProcessLeft(r.marker, 20_000);
    // A write in flight at the kill may leave its temp file; the next run removes it (checked below).
    assertTreeIntact(w.dst, { killed: r.child.pid });

    const log = events(w.dst);
    assert.deepEqual(log.map((l) => l.event), ['sweep_start', 'run_started']);
    assert.deepEqual(log[0]!.queued, [0, 1]);
    assert.equal(log[1]!.index, 0);
    assert.equal(log[1]!.pid, r.child.pid);
    assert.ok(log.every((l) => l.sweep === log[0]!.sweep && l.host && !Number.isNaN(Date.parse(l.time))));

    const plan = await runRunner(['configs', ...args, '--incremental']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^\s*0 {2}cancelled {2}/m);
    assert.match(plan.stdout, /^\s*1 {2}new {7}/m);
    assert.match(plan.stdout, /2 configs: 1 new, 0 done, 0 stale, 1 cancelled$/m);

    const listed = await runRunner(['results', w.dst, '--format', 'json', '--columns', 'index,status,error']);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as { index: number; status: string; error: string | null }[];
    assert.deepEqual(rows.map((x) => x.status), ['cancelled', 'not_run']);
    assert.equal(rows[0]!.error, `cancelled: its runner (pid ${r.child.pid}) ended while it ran, without recording it`);

    // Another sweep of config 1 only: run 0 stays cancelled in its summary and index page.
    writeFileSync(join(w.dst, 'fast'), '');
    const other = await runRunner([...args, '--index', '1']);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /taking over a stale lock/);
    const after = summaryJson(w.dst).runs;
    assert.deepEqual(after.map((x) => [x.status, x.this_run]), [['cancelled', 'not_selected'], ['success', 'ran']]);
    assert.match(readFileSync(join(w.dst, 'index.html'), 'utf8'), /rn-status-cancelled/);
    assertTreeIntact(w.dst);

    const again = await runRunner([...args, '--incremental']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(summaryJson(w.dst).runs.map((x) => x.status), ['success', 'success']);
    const last = events(w.dst).slice(-4).map((l) => [l.event, l.index ?? null, l.status ?? null]);
    assert.deepEqual(last, [['sweep_start', null, null], ['run_started', 0, null], ['run_finished', 0, 'success'], ['sweep_end', null, null]]);
    const replan = await runRunner(['configs', ...args, '--incremental']);
    assert.match(replan.stdout, /2 configs: 0 new, 2 done, 0 stale$/m);
    assertTreeIntact(w.dst);
    assert.ok(!existsSync(join(w.dst, '.run-notebook.lock')));
  });

  it('SIGINT mid-run: the log records the interrupt, the run ending interrupted and the sweep end; nothing is cancelled', T, async () => {
    const w = sweepWorkspace([{ sleep: 30 }, {}]);
    const args = ['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1'];
    const r = startRunner(args);
    await waitForFile(r, join(w.dst, 'started_0'));
    r.child.kill('SIGINT');
    const res = await r.done;
    assert.equal(res.code, 130, res.stderr);
    await assertNoProcessLeft(r.marker);
    const log = events(w.dst).map((l) => [l.event, l.index ?? null, l.status ?? null]);
    assert.deepEqual(log, [
      ['sweep_start', null, null],
      ['run_started', 0, null],
      ['interrupted', null, null],
      ['run_finished', 0, 'interrupted'],
      ['sweep_end', null, null],
    ]);
    assert.equal(events(w.dst).at(-1)!.interrupted, true);
    const plan = await runRunner(['configs', ...args, '--incremental']);
    assert.doesNotMatch(plan.stdout, /cancelled/);
    assert.match(plan.stdout, /^\s*0 {2}failed {2}/m);
    assert.deepEqual(summaryJson(w.dst).runs.map((x) => [x.status, x.this_run]), [['interrupted', 'ran'], ['not_run', 'not_started']]);
    assertTreeIntact(w.dst);
  });
});

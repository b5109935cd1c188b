// events.jsonl: whole lines only (also on a full disk), read back tolerating a cut
// line, and the rule for a cancelled run (started, never finished, its runner gone).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelledIn, cancelledRuns, EventLog, EVENTS_FILE, readEventLog, type LogLine } from '../../../src/results/events.js';

const dir = () => mkdtempSync(join(tmpdir(), 'rn-events-'));
const DEAD_PID = 2 ** 22 + 4321;

function line(event: Record<string, unknown>, pid = DEAD_PID): LogLine {
  return { time: '2026-12-02T00:00:00.000Z', pid, host: hostname(), sweep: 's', ...event } as LogLine;
}

describe('EventLog', () => {
  it('appends one whole JSON line per event, with time, pid, host and sweep', () => {
    const d = dir();
    writeFileSync(join(d, EVENTS_FILE), JSON.stringify(line({ event: 'sweep_end', counts: {}, interrupted: false })) + '\n');
    const log = EventLog.open(d, (m) => assert.fail(m));
    log.record({ event: 'run_started', index: 3, name: 'a', attempt: 1, max_attempts: 2 });
    log.record({ event: 'run_finished', index: 3, name: 'a', status: 'success', duration_sec: 1.5 });
    log.close();
    const text = readFileSync(join(d, EVENTS_FILE), 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.event), ['sweep_end', 'run_started', 'run_finished']);
    assert.equal(lines[1].pid, process.pid);
    assert.equal(lines[1].host, hostname());
    assert.equal(lines[1].sweep, log.sweep);
    assert.ok(!Number.isNaN(Date.parse(lines[1].time)));
  });

  it('a write that fails (ENOSPC on /dev/full) is told once and ends the log; the runner goes on', { skip: !existsSync('/dev/full') && 'no /dev/full' }, () => {
    const warnings: string[] = [];
    const log = EventLog.openFile('/dev/full', (m) => warnings.push(m));
    log.record({ event: 'interrupted', reason: 'x' });
    log.record({ event: 'interrupted', reason: 'y' });
    assert.deepEqual(warnings, ['cannot write /dev/full: no space left on device (ENOSPC); the event log stops here (run.json still records each run)']);
  });
});

describe('readEventLog', () => {
  it('skips a cut last line and keeps the whole ones', () => {
    const d = dir();
    writeFileSync(join(d, EVENTS_FILE), JSON.stringify(line({ event: 'run_started', index: 0, name: 'a', attempt: 1, max_attempts: 1 })) + '\n');
    appendFileSync(join(d, EVENTS_FILE), '{"time":"2026-12-02T00:0');
    assert.deepEqual(readEventLog(d).map((l) => l.event), ['run_started']);
  });

  it('no log: no lines', () => {
    assert.deepEqual(readEventLog(join(dir(), 'missing')), []);
  });
});

describe('cancelledRuns', () => {
  const started = (index: number, pid = DEAD_PID) => line({ event: 'run_started', index, name: `r${index}`, attempt: 1, max_attempts: 1 }, pid);
  const finished = (index: number, pid = DEAD_PID) => line({ event: 'run_finished', index, name: `r${index}`, status: 'success', duration_sec: 1 }, pid);

  it('started and never finished by a runner that is gone: cancelled; finished ones are not', () => {
    const got = cancelledRuns([started(0), started(1), finished(1), started(2)], () => false);
    assert.deepEqual([...got.keys()], [0, 2]);
    assert.equal(got.get(0)!.pid, DEAD_PID);
  });

  it('a runner that still holds the dst_dir: its open runs are running, not cancelled', () => {
    assert.deepEqual([...cancelledRuns([started(0, 7), started(1, DEAD_PID)], (pid) => pid === 7).keys()], [1]);
  });

  it('a later sweep that ran it again and finished it: not cancelled any more', () => {
    assert.deepEqual([...cancelledRuns([started(0), started(0, 8), finished(0, 8)], () => false).keys()], []);
  });

  it('a retry (a second run_started for the same run) keeps it open until run_finished', () => {
    const retry = line({ event: 'run_started', index: 0, name: 'r0', attempt: 2, max_attempts: 2 });
    assert.deepEqual([...cancelledRuns([started(0), retry], () => false).keys()], [0]);
  });

  it('cancelledIn: a lock held by a live process (this one) keeps its runs running', () => {
    const d = dir();
    writeFileSync(join(d, EVENTS_FILE), [started(0, process.pid), started(1, DEAD_PID)].map((l) => JSON.stringify(l) + '\n').join(''));
    writeFileSync(join(d, '.run-notebook.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    assert.deepEqual([...cancelledIn(d).keys()], [1]);
  });
});

// The orchestration rules (retries, --abort_on_error, fail-fast, Ctrl-C, slot hand-off,
// kernel start failures) against a fake server pool and a scripted target, as nbclient
// tests its client with a fake kernel manager. No server, no kernel: each attempt's
// outcome is what the script says. The same rules run against real kernels in
// test/integration/sweep.test.ts and failFast.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConfigPlan, PlannedConfig } from '../../../src/config/index.js';
import type { ExecutionOutcome } from '../../../src/execute/index.js';
import { BackgroundShutdowns, type KernelSession, type ServerPool } from '../../../src/jupyter/index.js';
import type { ThisRun } from '../../../src/status.js';
import type { EventSink, SweepEvent } from '../../../src/sweep/events.js';
import type { SweepOptions } from '../../../src/sweep/options.js';
import type { PlannedRun } from '../../../src/sweep/prepare.js';
import type { RunContext } from '../../../src/sweep/runConfig.js';
import { scheduleRuns } from '../../../src/sweep/schedule.js';
import type { RunTarget, TargetAttempt } from '../../../src/sweep/target.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** What attempt `n` (1-based) of config `index` does: its status, and how long it takes. */
type Script = (index: number, attempt: number, io: { signal: AbortSignal }) => Promise<Partial<ExecutionOutcome>> | Partial<ExecutionOutcome>;

interface Harness {
  ctx: RunContext;
  runs: PlannedRun[];
  events: SweepEvent[];
  /** Each kernel start: which config, with which env. */
  starts: { index: number; env: Record<string, string> }[];
  /** Attempts in the order they began: [config index, attempt number]. */
  attempts: [number, number][];
  /** Most attempts executing at the same moment. */
  maxConcurrent: () => number;
  shutdowns: () => number;
}

function harness(n: number, script: Script, opts: Partial<SweepOptions> = {}, failStart?: (index: number, nth: number) => boolean): Harness {
  const dstDir = mkdtempSync(join(tmpdir(), 'rn-schedule-'));
  dirs.push(dstDir);
  const configs: PlannedConfig[] = Array.from({ length: n }, (_, index) => ({ index, json: { seed: index }, params: { seed: index }, repr: `{'seed': ${index}}`, name: `seed_${index}` }));
  const plan: ConfigPlan = { builder: 'sweep.yaml', kind: 'sweep-file', configs };
  const events: SweepEvent[] = [];
  const starts: Harness['starts'] = [];
  const attempts: [number, number][] = [];
  const attemptOf = new Map<number, number>();
  let running = 0;
  let peak = 0;
  let shutdowns = 0;
  const startsOf = new Map<number, number>();
  const server = { label: 'http://127.0.0.1:1/' };
  const pool = {
    primary: server,
    exhausted: false,
    scheduler: undefined,
    entryOf: () => undefined,
    useOn: <T>(_s: unknown, fn: () => Promise<T>) => fn(),
    startScheduled: async (optionsFor: (s: typeof server) => { env: Record<string, string> }) => {
      const o = optionsFor(server);
      const index = Number(o.env.__CONFIG_IDX__);
      const nth = (startsOf.get(index) ?? 0) + 1;
      startsOf.set(index, nth);
      starts.push({ index, env: o.env });
      await new Promise((r) => setImmediate(r));
      if (failStart?.(index, nth)) throw new Error('kernel did not start: fake refusal');
      const session = {
        server,
        isLost: false,
        executable: '/usr/bin/python3',
        index,
        shutdown: async () => void shutdowns++,
        shutdownSoon: async () => void shutdowns++,
      };
      return session as unknown as KernelSession;
    },
  } as unknown as ServerPool;
  const target: RunTarget = {
    label: 'fake.ipynb',
    dir: dstDir,
    stem: 'fake',
    kernel: { name: 'python3', language: 'python' },
    digest: 'fake',
    files: {},
    prepare: (config): TargetAttempt => ({
      async execute(session, io) {
        const attempt = (attemptOf.get(config.index) ?? 0) + 1;
        attemptOf.set(config.index, attempt);
        attempts.push([config.index, attempt]);
        assert.equal((session as unknown as { index: number }).index, config.index, 'an attempt runs on a kernel started for its own config');
        running++;
        peak = Math.max(peak, running);
        try {
          const out = await script(config.index, attempt, io);
          const now = new Date().toISOString();
          return { status: 'ok', startedAt: now, endedAt: now, durationSec: 0, executedCells: 1, ...out } as ExecutionOutcome;
        } finally {
          running--;
        }
      },
    }),
    save: async () => undefined,
  };
  const options = {
    notebook: 'fake.ipynb',
    dstDir,
    numThreads: 1,
    numRetries: 0,
    incremental: false,
    abortOnError: false,
    failFast: true,
    dryRun: false,
    html: false,
    trust: false,
    logOutput: false,
    ...opts,
  } as SweepOptions;
  const emit: EventSink = (e) => void events.push(e);
  const ctx: RunContext = { opts: options, pool, target, kernel: { name: 'python3', language: 'python' }, plan, emit, stop: new AbortController(), shutdowns: new BackgroundShutdowns() };
  const runs = configs.map((config) => ({ config, fingerprint: `fp${config.index}`, state: 'new' as const }));
  return { ctx, runs, events, starts, attempts, maxConcurrent: () => peak, shutdowns: () => shutdowns };
}

const fail = (reason = 'ValueError: boom'): Partial<ExecutionOutcome> => ({ status: 'error', reason, headline: `${reason} (cell 1)`, cellIndex: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runJson(h: Harness, index: number): { status: string; attempts: { attempt: number; status: string }[]; error?: string } {
  return JSON.parse(readFileSync(join(h.ctx.opts.dstDir, `result_${index}`, 'run.json'), 'utf8'));
}

async function schedule(h: Harness) {
  const thisRun = new Map<number, ThisRun>();
  const result = await scheduleRuns(h.ctx, h.runs, h.ctx.opts.numThreads, thisRun);
  return { ...result, thisRun };
}

describe('scheduleRuns with a fake pool and target', { timeout: 30_000 }, () => {
  it('retries a failed attempt in a fresh kernel until one succeeds', async () => {
    const h = harness(1, (_i, attempt) => (attempt < 3 ? fail() : {}), { numRetries: 2 });
    const r = await schedule(h);
    assert.deepEqual(r.counts, { success: 1, failed: 0, aborted: 0, interrupted: 0, skipped: 0 });
    assert.deepEqual(h.attempts, [[0, 1], [0, 2], [0, 3]]);
    assert.equal(h.starts.length, 3, 'each attempt gets its own kernel');
    const rec = runJson(h, 0);
    assert.equal(rec.status, 'success');
    assert.deepEqual(rec.attempts.map((a) => a.status), ['error', 'error', 'ok']);
    assert.equal(h.shutdowns(), 3, 'every kernel is shut down');
    const failed = h.events.filter((e) => e.type === 'attempt-failed');
    assert.deepEqual(failed.map((e) => (e as { willRetry: boolean }).willRetry), [true, true]);
  });

  it('fails a run once its retries are spent, and keeps the last headline', async () => {
    const h = harness(1, () => fail('KeyError: x'), { numRetries: 1 });
    const r = await schedule(h);
    assert.equal(r.counts.failed, 1);
    const rec = runJson(h, 0);
    assert.equal(rec.status, 'failed');
    assert.equal(rec.attempts.length, 2);
    assert.equal(rec.error, 'KeyError: x (cell 1)');
    const failed = h.events.filter((e) => e.type === 'attempt-failed');
    assert.deepEqual(failed.map((e) => (e as { willRetry: boolean }).willRetry), [true, false], 'the last failure says no retry is coming');
  });

  it('--abort_on_error: once a run fails (its retries spent), no run starts; the rest are not_started', async () => {
    const h = harness(4, (i) => (i === 1 ? fail() : {}), { abortOnError: true, numThreads: 1, numRetries: 2 });
    const r = await schedule(h);
    assert.equal(r.counts.success, 1);
    assert.equal(r.counts.failed, 1);
    assert.deepEqual(h.attempts, [[0, 1], [1, 1], [1, 2], [1, 3]], 'run 1 spends its retries, then runs 2-3 never start');
    assert.equal(r.thisRun.get(2), 'not_started');
    assert.equal(r.thisRun.get(3), 'not_started');
  });

  it('fail-fast: the first 3 runs failing the same way start no more runs', async () => {
    const h = harness(6, () => fail('ModuleNotFoundError: No module named numpy'), { numThreads: 1 });
    const r = await schedule(h);
    assert.equal(r.stopped, 'fail_fast');
    assert.equal(r.counts.failed, 3);
    assert.deepEqual([3, 4, 5].map((i) => r.thisRun.get(i)), ['not_started', 'not_started', 'not_started']);
    assert.ok(h.events.some((e) => e.type === 'fail-fast'));
  });

  it('fail-fast stays out of the way when the failures differ, or with --no_fail_fast', async () => {
    const differ = harness(5, (i) => fail(`ValueError: ${i}`), { numThreads: 1 });
    assert.equal((await schedule(differ)).counts.failed, 5);
    const off = harness(5, () => fail(), { numThreads: 1, failFast: false });
    const r = await schedule(off);
    assert.equal(r.counts.failed, 5);
    assert.equal(r.stopped, undefined);
  });

  it('Ctrl-C while runs execute: they end interrupted, are not retried, and the rest are not_started', async () => {
    const h = harness(
      5,
      async (_i, _a, io) => {
        await new Promise<void>((res) => (io.signal.aborted ? res() : io.signal.addEventListener('abort', () => res(), { once: true })));
        return { status: 'interrupted', headline: 'interrupted (cell 1)', cellIndex: 1 };
      },
      { numThreads: 2, numRetries: 2 },
    );
    const done = schedule(h);
    for (const deadline = Date.now() + 10_000; h.attempts.length < 2; await sleep(5)) assert.ok(Date.now() < deadline, 'two attempts began within 10 s');
    h.ctx.stop.abort('interrupted');
    const r = await done;
    assert.equal(r.counts.interrupted, 2);
    assert.deepEqual(h.attempts.map(([i]) => i).sort(), [0, 1], 'each running run had exactly one attempt');
    assert.deepEqual([2, 3, 4].map((i) => r.thisRun.get(i)), ['not_started', 'not_started', 'not_started']);
    assert.equal(runJson(h, 0).status, 'interrupted');
  });

  it('slots: never more attempts at once than threads, and each slot keeps its own devices', async () => {
    const busy = new Map<string, number>();
    let clash = false;
    const h = harness(
      8,
      async (i) => {
        const dev = h.starts.filter((s) => s.index === i).at(-1)!.env.CUDA_VISIBLE_DEVICES!;
        if (busy.get(dev)) clash = true;
        busy.set(dev, (busy.get(dev) ?? 0) + 1);
        await sleep(5 + (i % 3) * 5);
        busy.set(dev, busy.get(dev)! - 1);
        return {};
      },
      { numThreads: 2, resources: [['0'], ['1']] },
    );
    const r = await schedule(h);
    assert.equal(r.counts.success, 8);
    assert.equal(h.maxConcurrent(), 2);
    assert.equal(clash, false, 'two runs never held the same device at once');
    assert.deepEqual(new Set(h.starts.map((s) => s.env.CUDA_VISIBLE_DEVICES)), new Set(['0', '1']));
  });

  it('a kernel that does not start spends an attempt (start_failed) and the retry starts a new one', async () => {
    const h = harness(2, () => ({}), { numRetries: 1, numThreads: 1 }, (index, nth) => index === 0 && nth === 1);
    const r = await schedule(h);
    assert.equal(r.counts.success, 2);
    const rec = runJson(h, 0);
    assert.deepEqual(rec.attempts.map((a) => a.status), ['start_failed', 'ok']);
  });

  it('a run that cannot be recorded stops the sweep and is reported as fatal', async () => {
    const h = harness(3, () => ({}), { numThreads: 1 });
    let saves = 0;
    h.ctx.target.save = async () => {
      if (++saves === 1) throw new Error('ENOSPC: no space left on device');
    };
    const r = await schedule(h);
    assert.match(String((r.fatal as Error)?.message), /ENOSPC/);
    assert.ok(h.ctx.stop.signal.aborted);
    assert.equal(h.ctx.stop.signal.reason, 'fatal');
    assert.ok(r.thisRun.get(2) === 'not_started' || r.thisRun.get(1) === 'not_started', 'later runs do not start');
  });
});

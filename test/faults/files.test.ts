// Fault suite: the files a sweep leaves. Racing runners on one dst_dir (one wins, every
// round), stale locks taken over by exactly one runner, temp files that never survive an
// exit the runner controls, a read-only and a full file system.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ROOT, assertNoProcessLeft, assertTreeIntact, errorLines, fixture, runRunner, startRunner, summaryJson, sweepWorkspace, tempDir } from './support.js';

const T = { timeout: 120_000 };
const DEAD_PID = 2 ** 22 + 4321;

/** Runs `code` (ESM, `lock` = the lock module) in a fresh node process; resolves with its stdout. */
function nodeScript(code: string, args: string[] = []): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (c) => (c === 0 || c === 3 ? res(out) : rej(new Error(`exit ${c}: ${err}`))));
  });
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

function mountTmpfs(dir: string, opts: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir]);
  } catch {
    /* already gone */
  }
}

describe('faults: locks and racing runners', () => {
  it('a stale lock raced by three takers: exactly one wins, in each of 25 rounds', T, async () => {
    const lockModule = join(ROOT, 'src', 'sweep', 'lock.ts');
    const rounds = 25;
    const slotMs = 400;
    // Each taker loads once, then in round r waits for the round's instant and tries the lock
    // of dir r. Every taker leaves a mark once it has tried; a winner holds the lock until all
    // three marks are there (at most 20 s), so the takers overlap however the machine schedules
    // them (a fixed hold let a descheduled taker arrive after the release and win fairly).
    const taker = `
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      const { writeFileSync, readdirSync } = await import('node:fs');
      const [base, t0, n, slot, id] = process.argv.slice(1).map((v, i) => (i && i < 4 ? Number(v) : v));
      const out = [];
      const tried = (r) => writeFileSync(base + '/tried/' + r + '.' + id, '');
      const allTried = (r) => readdirSync(base + '/tried').filter((f) => f.startsWith(r + '.')).length >= 3;
      for (let r = 0; r < n; r++) {
        const at = t0 + r * slot;
        while (Date.now() < at) {}
        try {
          const l = acquireLock(base + '/' + r, () => {});
          tried(r);
          for (const end = Date.now() + 20000; !allTried(r) && Date.now() < end; ) {}
          l.release();
          out.push('won');
        } catch (e) {
          tried(r);
          out.push(/in use by another run-notebook/.test(e.message) ? 'refused' : 'error:' + e.message);
        }
      }
      process.stdout.write(JSON.stringify(out));`;
    const base = tempDir('rn-lockrace-');
    mkdirSync(join(base, 'tried'));
    for (let r = 0; r < rounds; r++) {
      mkdirSync(join(base, String(r)));
      writeFileSync(join(base, String(r), '.run-notebook.lock'), JSON.stringify({ pid: DEAD_PID, host: hostname(), since: 'then' }));
    }
    const t0 = String(Date.now() + 8000); // time for three node processes to load under load
    const outs = (await Promise.all([0, 1, 2].map((id) => nodeScript(taker, [base, t0, String(rounds), String(slotMs), String(id)])))).map((o) => JSON.parse(o) as string[]);
    for (let r = 0; r < rounds; r++) {
      const got = outs.map((o) => o[r]);
      assert.equal(got.filter((g) => g === 'won').length, 1, `round ${r}: ${JSON.stringify(got)}`);
      assert.equal(got.filter((g) => g === 'refused').length, 2, `round ${r}: ${JSON.stringify(got)}`);
      assert.deepEqual(readdirSync(join(base, String(r))), [], 'no lock, no moved-aside lock and no temp file left');
    }
  });

  it('two runners started at one instant: one runs, the other exits 2 in one line', T, async () => {
    const w = sweepWorkspace([{ sleep: 1 }]);
    const args = ['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst];
    const [a, b] = await Promise.all([runRunner(args), runRunner(args)]);
    const codes = [a.code, b.code].sort();
    assert.deepEqual(codes, [0, 2], a.stderr + b.stderr);
    const loser = a.code === 2 ? a : b;
    assert.match(errorLines(loser.stderr).join('\n'), /^error: .* is in use by another run-notebook \(pid \d+\); wait for it or pick another --dst_dir$/);
    assertTreeIntact(w.dst);
    await assertNoProcessLeft(a.marker);
    await assertNoProcessLeft(b.marker);
  });
});

describe('faults: temp files', () => {
  it("a later run removes the temp files of a runner that is gone, and keeps others' files", T, async () => {
    const w = sweepWorkspace([{}]);
    mkdirSync(join(w.dst, 'result_0'), { recursive: true });
    const stale = [join(w.dst, `.index.html.${DEAD_PID}.0123456789ab.tmp`), join(w.dst, 'result_0', `.run.json.${DEAD_PID}.ba9876543210.tmp`), join(w.dst, `.run-notebook.lock.${DEAD_PID}.aaaaaaaaaaaa.tmp`)];
    for (const f of stale) writeFileSync(f, 'half');
    writeFileSync(join(w.dst, 'notes.tmp'), 'the user\'s own file');
    const r = await runRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--incremental']);
    assert.equal(r.code, 0, r.stderr);
    for (const f of stale) assert.ok(!existsSync(f), `removed: ${f}`);
    assert.equal(readFileSync(join(w.dst, 'notes.tmp'), 'utf8'), "the user's own file");
  });

  it('an exit in the middle of an atomic write (a second Ctrl-C) leaves no temp file', T, async () => {
    const dir = tempDir('rn-exitwrite-');
    const mod = join(ROOT, 'src', 'util', 'atomicWrite.ts');
    await nodeScript(
      `const { writeFileAtomic } = await import(${JSON.stringify(mod)});
       const [dir] = process.argv.slice(1);
       void writeFileAtomic(dir + '/index.html', Buffer.alloc(64 * 1024 * 1024, 65));
       setTimeout(() => process.exit(130), 30);`,
      [dir],
    ).catch(() => undefined);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});

describe('faults: file systems', () => {
  it('a read-only dst_dir (a read-only tmpfs): exit 2, one line', T, async (t) => {
    if (!asRoot()) return t.skip('needs root to mount a tmpfs');
    const d = join(tempDir('rn-ro-'), 'ro');
    mountTmpfs(d, 'ro,size=1m');
    try {
      const r = await runRunner(['--notebook', fixture('faults', 'work.ipynb'), '--dst_dir', d]);
      assert.equal(r.code, 2, r.stderr);
      assert.deepEqual(errorLines(r.stderr), [`error: cannot write in --dst_dir ${d}: read-only file system (EROFS)`]);
      await assertNoProcessLeft(r.marker);
    } finally {
      unmount(d);
    }
  });

  it('a 2 MB tmpfs as dst_dir: the runner stops with one line, every file it left is whole', T, async (t) => {
    if (!asRoot()) return t.skip('needs root to mount a tmpfs');
    const w = sweepWorkspace([{ mode: 'big_stream', size_mb: 1 }, { mode: 'big_stream', size_mb: 1 }, { mode: 'big_stream', size_mb: 1 }]);
    mountTmpfs(w.dst, 'size=2m');
    try {
      const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst, '--num_threads', '1']);
      const res = await r.done;
      assert.equal(res.code, 1, res.stderr);
      const lines = errorLines(res.stderr);
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, /^error: cannot write .*: no space left on device \(ENOSPC\)$/);
      assertTreeIntact(w.dst);
      await assertNoProcessLeft(r.marker);
    } finally {
      unmount(w.dst);
    }
  });

  it('log.txt on a full disk: cut and marked as cut, the warning names it, the run is recorded failed (not saved), not running', T, async (t) => {
    if (!asRoot()) return t.skip('needs root to mount a tmpfs');
    const w = sweepWorkspace([{ mode: 'big_stream', size_mb: 5 }]);
    mountTmpfs(w.dst, 'size=3m');
    try {
      const r = startRunner(['--notebook', w.nb, '--config_builder', w.sweep, '--dst_dir', w.dst], { limitSec: 90 });
      const res = await r.done;
      assert.equal(res.code, 1, res.stderr);
      const log = join(w.dst, 'result_0', 'log.txt');
      const warning = `warning: cannot write ${log}: no space left on device (ENOSPC); the log is cut after`;
      const lines = res.stderr.split('\n');
      const warnAt = lines.findIndex((l) => l.startsWith(warning));
      assert.ok(warnAt >= 0, `the first write that failed (log.txt) is named:\n${res.stderr}`);
      const errors = errorLines(res.stderr);
      assert.equal(errors.length, 1, res.stderr);
      assert.match(errors[0]!, new RegExp(`^error: cannot write ${w.dst}/result_0/work\\.(ipynb|html): no space left on device \\(ENOSPC\\)$`));
      assert.ok(lines.indexOf(errors[0]!) > warnAt, 'the warning about log.txt comes first');
      // The log is cut, and says so in its last line (never a silent half-file).
      const text = readFileSync(log, 'utf8');
      const cutAt = Number(/after (\d+) bytes/.exec(lines[warnAt]!)![1]);
      assert.ok(cutAt > 0 && cutAt < 5 * 1024 * 1024, `cut at ${cutAt}`);
      assert.match(text.slice(-200), new RegExp(`\\n--- log\\.txt cut here, after ${cutAt} bytes: no space left on device \\(ENOSPC\\); the rest of the run's output was not written ---\\n$`));
      const note = text.slice(text.lastIndexOf('\n--- log.txt cut here'));
      assert.equal(Buffer.byteLength(text) - Buffer.byteLength(note), cutAt, 'the output kept is as long as the note says');
      assert.match(text, /^--- attempt 1\/1 at .*---\nstart 0\nx{1023}\n/);
      // events.jsonl (small lines, fsynced) holds the truth the full disk kept from run.json and the summary.
      const events = readFileSync(join(w.dst, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      const finished = events.find((e) => e.event === 'run_finished');
      assert.equal(finished?.status, 'failed');
      assert.match(finished?.error, /^its results could not be saved: cannot write .*: no space left on device \(ENOSPC\)$/);
      assert.equal(events.at(-1).event, 'sweep_end');
      const listed = await runRunner(['results', w.dst, '--format', 'json', '--columns', 'index,status,error']);
      assert.equal(listed.code, 0, listed.stderr);
      const rows = JSON.parse(listed.stdout) as { status: string; error: string }[];
      assert.equal(rows[0]!.status, 'failed');
      assert.match(rows[0]!.error, /^its results could not be saved: /);
      assertTreeIntact(w.dst);
      await assertNoProcessLeft(r.marker);
    } finally {
      unmount(w.dst);
    }
  });
});

void summaryJson;

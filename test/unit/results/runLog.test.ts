// log.txt's writer: appends in order; a write that fails ends the log with a warning,
// and the record of the cut (the full-disk path itself runs in test/faults/files.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunLog } from '../../../src/results/runLog.js';

describe('RunLog', () => {
  it('replaces an earlier log and appends in order', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'rn-runlog-')), 'log.txt');
    writeFileSync(p, 'an earlier run\n');
    const log = RunLog.start(p, (m) => assert.fail(m));
    log.append('a\n');
    log.append('');
    log.append('é\n');
    log.close();
    log.append('after close\n');
    assert.equal(readFileSync(p, 'utf8'), 'a\né\n');
    assert.equal(log.cut, undefined);
  });

  it('a write that fails (ENOSPC on /dev/full): one warning, the cut recorded, nothing more written', { skip: !existsSync('/dev/full') && 'no /dev/full' }, () => {
    const warnings: string[] = [];
    const log = RunLog.start('/dev/full', (m) => warnings.push(m));
    log.append('x'.repeat(100));
    log.append('more');
    assert.deepEqual(log.cut, { atBytes: 0, reason: 'no space left on device (ENOSPC)' });
    assert.deepEqual(warnings, ['cannot write /dev/full: no space left on device (ENOSPC); the log is cut after 0 bytes (the note saying so could not be written either)']);
  });
});

// Atomic file replacement: write a uniquely named temp file beside the target, flush it
// to disk, then rename it over the target. Readers see the old file or the new one,
// never a torn one. The sync variant exists for signal handlers, where awaiting is not
// an option.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors.js';

/** Writing a file failed (disk full, permission denied, parent is a file, ...). */
export class FileWriteError extends UserError {
  readonly path: string;
  readonly code?: string;

  constructor(filePath: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code ? describeWriteError(code) : cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${filePath}: ${reason}`, { exitCode: 1, cause });
    this.path = filePath;
    this.code = code;
  }
}

/** An errno code in words, e.g. "no space left on device (ENOSPC)". */
export function describeWriteError(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ENOTDIR':
      return 'a parent path is not a directory (ENOTDIR)';
    case 'EEXIST':
      return 'a parent path exists and is not a directory (EEXIST)';
    case 'EISDIR':
      return 'the target is a directory (EISDIR)';
    default:
      return code;
  }
}

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The pid in a temp file name this module (or the dst_dir lock) makes, else undefined. */
export function isOwnStaleTemp(name: string): number | undefined {
  const m = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Temp files being written right now. An exit the runner takes at once (a second
 * Ctrl-C, a crash) removes them on its way out, so none survives a path it controls.
 */
const inFlight = new Set<string>();
let exitHook = false;
function track(tmp: string): void {
  inFlight.add(tmp);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const t of inFlight) {
      try {
        fs.rmSync(t, { force: true });
      } catch {
        /* nothing more can be done on the way out */
      }
    }
  });
}

/** Write `data` to `filePath` atomically, creating parent directories as needed. */
export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  const target = path.resolve(filePath);
  let tmp: string | undefined;
  try {
    await fsp.mkdir(path.dirname(target), { recursive: true });
    tmp = tempPathFor(target);
    track(tmp);
    const handle = await fsp.open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
    inFlight.delete(tmp);
    tmp = undefined;
  } catch (err) {
    if (tmp !== undefined) await fsp.rm(tmp, { force: true }).catch(() => {});
    if (tmp !== undefined) inFlight.delete(tmp);
    throw new FileWriteError(filePath, err);
  }
  await syncDir(path.dirname(target));
}

/** Synchronous twin of {@link writeFileAtomic}, for exit and signal paths. */
export function writeFileAtomicSync(filePath: string, data: string | Uint8Array): void {
  const target = path.resolve(filePath);
  let tmp: string | undefined;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    tmp = tempPathFor(target);
    track(tmp);
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    inFlight.delete(tmp);
    tmp = undefined;
  } catch (err) {
    if (tmp !== undefined) {
      inFlight.delete(tmp);
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // the original error is the one worth reporting
      }
    }
    throw new FileWriteError(filePath, err);
  }
  syncDirSync(path.dirname(target));
}

// Best effort: make the rename itself durable. Some file systems refuse fsync on a
// directory; the file content is already safe by then, so failures are ignored.
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignored, see above
  }
}

function syncDirSync(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // ignored, see above
  }
}

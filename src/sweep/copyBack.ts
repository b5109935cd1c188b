// Bringing a remote scratch folder's files into the local result_<idx>/: one file at a
// time (at most one file's bytes in memory), each written atomically, each checked against
// the sha256 (or, lacking one, the size) the remote side reported. A file named like one
// of the runner's own is never overwritten: identical bytes count as unchanged, other
// bytes as a conflict. A failing file is recorded and the copy goes on with the next.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RemoteFile, RemoteFolder } from '../jupyter/index.js';
import type { RemoteFolderRecord } from '../results/runRecord.js';
import { errorMessage } from '../errors.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

export interface CopyLimits {
  maxFiles: number;
  maxBytes: number;
  /** Wall-clock bound of the whole copy (listing included), in ms. */
  timeoutMs: number;
}

export const COPY_LIMITS: CopyLimits = { maxFiles: 10_000, maxBytes: 2 ** 30, timeoutMs: 600_000 };

export type CopyResult = Omit<RemoteFolderRecord, 'route' | 'dir' | 'removed' | 'seconds'>;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A remote path that stays inside the folder: no empty, '.' or '..' segment, no backslash. */
export function safeRelPath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Copies every file of `folder` into `localDir`. `runnerFiles` are the names (top level of
 * the run folder) the runner writes itself. Throws only when the folder cannot be listed.
 */
export async function copyBack(folder: RemoteFolder, localDir: string, runnerFiles: ReadonlySet<string>, limits: CopyLimits = COPY_LIMITS): Promise<CopyResult> {
  const deadline = Date.now() + limits.timeoutMs;
  const listing = await folder.list(limits.maxFiles);
  let copied = 0;
  let bytes = 0;
  const unchanged: string[] = [];
  const conflicts: string[] = [];
  const skipped = [...listing.skipped];
  const failed: { path: string; error: string }[] = [];
  for (const file of listing.files) {
    if (!safeRelPath(file.path)) skipped.push({ path: file.path, why: 'a path outside the folder' });
    else if (Date.now() > deadline) skipped.push({ path: file.path, why: `the copy ran past its ${limits.timeoutMs / 1000}s limit` });
    else if (bytes + file.size > limits.maxBytes) skipped.push({ path: file.path, why: `over the copy limit of ${limits.maxBytes / 2 ** 20} MiB` });
    else {
      try {
        const result = await copyOne(folder, file, localDir, runnerFiles);
        if (result === 'unchanged') unchanged.push(file.path);
        else if (result === 'conflict') conflicts.push(file.path);
        else {
          copied++;
          bytes += file.size;
        }
      } catch (err) {
        failed.push({ path: file.path, error: errorMessage(err) });
      }
    }
  }
  const some = <T>(k: string, a: T[]) => (a.length ? { [k]: a } : {});
  return { copied, bytes, ...some('unchanged', unchanged), ...some('conflicts', conflicts), ...some('skipped', skipped), ...some('failed', failed) };
}

async function copyOne(folder: RemoteFolder, file: RemoteFile, localDir: string, runnerFiles: ReadonlySet<string>): Promise<'copied' | 'unchanged' | 'conflict'> {
  const { bytes, sha256: reported } = await folder.read(file);
  const got = sha256(bytes);
  const want = reported ?? file.sha256;
  if (want !== undefined && want !== got) throw new Error(`checksum mismatch (sha256 ${got.slice(0, 12)}… here, ${want.slice(0, 12)}… there): the file changed while it was copied?`);
  if (want === undefined && bytes.length !== file.size) throw new Error(`size mismatch (${bytes.length} bytes here, ${file.size} there)`);
  const target = join(localDir, ...file.path.split('/'));
  if (runnerFiles.has(file.path)) {
    let mine: Buffer | undefined;
    try {
      mine = readFileSync(target);
    } catch {
      /* not written yet (the notebook, run.json): still the runner's name */
    }
    return mine && sha256(mine) === got ? 'unchanged' : 'conflict';
  }
  await writeFileAtomic(target, bytes);
  return 'copied';
}

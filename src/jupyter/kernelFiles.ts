// A folder on the kernel's machine, reached through the kernel itself: for servers with no
// contents API (Kernel and Enterprise Gateway) and folders outside a server's root. The
// kernel-side half is python/run_notebook/_scratch.py, defined in the kernel from its
// source as the module `_run_notebook_scratch`; each call is a silent execute request
// whose user expression returns JSON. Bytes travel base64-encoded in chunks, and each
// file's sha256 (computed kernel-side when listing) is checked by the caller.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JupyterError } from '../errors.js';
import type { KernelSession } from './kernelSession.js';
import { withTimeout } from './kernelSession.js';
import { parseReprString } from './preamble.js';
import { REMOTE_REQUEST_TIMEOUT_MS, type RemoteFile, type RemoteFolder, type RemoteListing } from './remoteFiles.js';

const SCRATCH_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python', 'run_notebook', '_scratch.py');
const MODULE = '_run_notebook_scratch';
/** Raw bytes per request: 4 MiB is ~5.6 MB of base64 in one reply, far below the WebSocket limit. */
export const KERNEL_CHUNK_BYTES = 4 * 2 ** 20;

let scratchSource: string | undefined;

const py = (v: unknown) => JSON.stringify(v);

/** Defines the helper module in a Python kernel (idempotent). */
export async function defineScratchModule(session: KernelSession): Promise<void> {
  scratchSource ??= readFileSync(SCRATCH_PATH, 'utf8');
  const code = [
    'def __rn_scratch():',
    '    import sys, types',
    `    m = types.ModuleType(${py(MODULE)})`,
    `    exec(compile(${py(scratchSource)}, '<run_notebook scratch>', 'exec'), m.__dict__)`,
    `    sys.modules[${py(MODULE)}] = m`,
    '__rn_scratch()',
    'del __rn_scratch',
  ].join('\n');
  const { content } = await withTimeout(session.execute(code, { silent: true, stopOnError: false }), REMOTE_REQUEST_TIMEOUT_MS, 'defining the scratch helper timed out');
  if (content.status !== 'ok') throw new JupyterError(`defining the scratch helper failed: ${content.ename}: ${content.evalue}`);
}

/** Calls `_run_notebook_scratch.<fn>(args...)` in the kernel and parses the JSON it returns. */
export async function callScratch<T>(session: KernelSession, fn: string, args: unknown[], timeoutMs = REMOTE_REQUEST_TIMEOUT_MS): Promise<T> {
  const expr = `__import__(${py(MODULE)}).${fn}(${args.map(py).join(', ')})`;
  const { content } = await withTimeout(
    session.execute('', { silent: true, stopOnError: false, userExpressions: { r: expr } }),
    timeoutMs,
    `the kernel did not answer ${fn}() within ${timeoutMs / 1000}s`,
  );
  const r = content.user_expressions?.r;
  if (content.status !== 'ok' || !r) throw new JupyterError(`${fn}() failed in the kernel: ${content.ename ?? 'no reply'}`);
  if (r.status !== 'ok') {
    const e = r as unknown as { ename?: string; evalue?: string };
    throw new JupyterError(`${fn}() failed in the kernel: ${e.ename}: ${e.evalue}`);
  }
  return JSON.parse(parseReprString(r.data?.['text/plain'] ?? '')) as T;
}

/**
 * `root` is the folder's absolute path on the kernel's machine (as prepare returned it).
 * Files in `known` (copied another way already) are left out of the listing.
 */
export function kernelFolder(session: KernelSession, root: string, known: readonly string[] = []): RemoteFolder {
  return {
    route: 'kernel',
    async list(maxFiles) {
      const r = await callScratch<RemoteListing & { missing?: boolean }>(session, 'listing', [root, maxFiles, known]);
      if (r.missing) throw new JupyterError(`the folder ${root} is not there any more`);
      return { files: r.files, skipped: r.skipped };
    },
    async read(file: RemoteFile) {
      const parts: Buffer[] = [];
      let got = 0;
      // At least one request, so a file that grew since the listing still shows as a mismatch.
      do {
        const { b64 } = await callScratch<{ b64: string }>(session, 'chunk', [root, file.path, got, KERNEL_CHUNK_BYTES]);
        const part = Buffer.from(b64, 'base64');
        if (part.length === 0) break;
        parts.push(part);
        got += part.length;
      } while (got < file.size);
      return { bytes: Buffer.concat(parts), sha256: file.sha256 };
    },
    async remove(levels) {
      const r = await callScratch<{ removed: boolean }>(session, 'remove', [root, levels]);
      return r.removed;
    },
  };
}

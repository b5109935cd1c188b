// A folder under a jupyter_server's root, read through its contents API (GET
// /api/contents/<path>): no kernel needed, so it works after the kernel died too.
// jupyter_server 2.x reports each file's sha256 (hash=1); 1.x does not, and the caller
// then checks the size only. Gateways serve no contents API, and jupyter_server refuses
// hidden paths (a dot-folder) unless ContentsManager.allow_hidden is set: the caller
// falls back to the kernel route when the folder cannot be read here.
import { ServerConnection } from '@jupyterlab/services';
import { JupyterError } from '../errors.js';
import { withServer, withTimeout } from './kernelSession.js';
import { REMOTE_REQUEST_TIMEOUT_MS, type RemoteFile, type RemoteFolder, type RemoteListing } from './remoteFiles.js';
import type { JupyterServer } from './server.js';

interface ContentsModel {
  name: string;
  path: string;
  type: 'directory' | 'file' | 'notebook';
  size?: number | null;
  format?: string | null;
  content?: unknown;
  hash?: string;
  hash_algorithm?: string;
}

const encodePath = (p: string) => p.split('/').filter(Boolean).map(encodeURIComponent).join('/');

async function request(server: JupyterServer, path: string, query: string, method = 'GET'): Promise<Response> {
  const url = `${server.settings.baseUrl}api/contents/${encodePath(path)}${query ? `?${query}` : ''}`;
  const p = ServerConnection.makeRequest(url, { method }, server.settings);
  return withTimeout(withServer(server, p), REMOTE_REQUEST_TIMEOUT_MS, `${method} ${path} on the contents API timed out`);
}

async function getModel(server: JupyterServer, path: string, query: string): Promise<ContentsModel> {
  const res = await request(server, path, query);
  if (!res.ok) {
    await res.body?.cancel();
    throw new JupyterError(`the contents API answered HTTP ${res.status} for ${path}`);
  }
  return (await res.json()) as ContentsModel;
}

/** True when `dir` is a folder the contents API serves (false for a gateway, a hidden path, a missing folder). */
export async function contentsServes(server: JupyterServer, dir: string): Promise<boolean> {
  try {
    const m = await getModel(server, dir, 'content=0');
    return m.type === 'directory';
  } catch {
    return false;
  }
}

/** `dir` is relative to the server's root, '/'-separated. */
export function contentsFolder(server: JupyterServer, dir: string): RemoteFolder {
  const root = dir.replace(/\/+$/, '');
  return {
    route: 'contents',
    async list(maxFiles) {
      const out: RemoteListing = { files: [], skipped: [] };
      const walk = async (rel: string): Promise<void> => {
        const m = await getModel(server, rel ? `${root}/${rel}` : root, 'content=1');
        const entries = [...((m.content as ContentsModel[] | null) ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
          const path = rel ? `${rel}/${e.name}` : e.name;
          if (e.type === 'directory') await walk(path);
          else if (out.files.length >= maxFiles) out.skipped.push({ path, why: `more than ${maxFiles} files` });
          else out.files.push({ path, size: e.size ?? 0 });
        }
      };
      await walk('');
      return out;
    },
    async read(file: RemoteFile) {
      // type=file: a notebook comes back as its bytes, not as a parsed model.
      const m = await getModel(server, `${root}/${file.path}`, 'content=1&type=file&format=base64&hash=1');
      if (typeof m.content !== 'string') throw new JupyterError(`the contents API sent no content for ${file.path}`);
      const bytes = Buffer.from(m.content, m.format === 'base64' ? 'base64' : 'utf8');
      return { bytes, sha256: m.hash_algorithm === 'sha256' ? m.hash : undefined };
    },
    async remove() {
      // jupyter_server may move the folder to its trash (delete_to_trash), out of the root either way.
      const res = await request(server, root, '', 'DELETE');
      await res.body?.cancel();
      return res.ok || res.status === 404;
    },
  };
}

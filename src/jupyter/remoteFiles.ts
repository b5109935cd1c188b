// A folder on a remote server's machine, as the runner reads it back: its files (path,
// size, sha256 when known) and their bytes. Two routes implement it: the server's
// contents API (contentsFiles.ts) and the kernel itself (kernelFiles.ts).

export interface RemoteFile {
  /** Relative to the folder, '/'-separated. */
  path: string;
  size: number;
  /** Hex sha256 of the whole file, when the route can tell it before the bytes travel. */
  sha256?: string;
}

export interface RemoteListing {
  files: RemoteFile[];
  /** Entries that are not brought back, with why (a symbolic link, past the file limit). */
  skipped: { path: string; why: string }[];
}

export interface RemoteFolder {
  readonly route: 'contents' | 'kernel';
  list(maxFiles: number): Promise<RemoteListing>;
  /** The file's bytes, and the sha256 the route reports for them (if any) to check them against. */
  read(file: RemoteFile): Promise<{ bytes: Buffer; sha256?: string }>;
  /** Deletes the folder (and, for the kernel route, up to `levels` empty parents); true when it is gone. */
  remove(levels: number): Promise<boolean>;
}

/** Each request to a remote folder is bounded; a whole copy is bounded by its caller. */
export const REMOTE_REQUEST_TIMEOUT_MS = 60_000;

// Is a Jupyter server still there? @jupyterlab/services never gives up on a server
// that went away: its kernel connections stay `connecting` and poll the REST API every
// 10-30 s forever. So each server has a health watch of its own: a GET /api probe with
// its own timeout, a grace period for connections stuck `connecting`, and (for the
// embedded server) the process exit. Once lost, a server stays lost: every session on
// it fails at once with a ServerLostError, and the pool starts nothing more on it.
import type { ServerConnection } from '@jupyterlab/services';
import { JupyterError } from '../errors.js';
import { redactUrl } from './settings.js';

/** Seconds a server may go without answering (probe or WebSocket) before it counts as lost. */
export const DEFAULT_SERVER_GRACE_SEC = 30;

/** The Jupyter server a run needed is gone (died, unreachable, or stuck). Names the URL, never the token. */
export class ServerLostError extends JupyterError {
  constructor(
    /** The server's URL without credentials. */
    readonly url: string,
    /** What was seen, e.g. "the process was killed (SIGKILL)", "no answer to GET /api for 30s". */
    readonly why: string,
    /** The runner's own embedded server (it may restart it once) rather than a remote one. */
    readonly embedded: boolean,
  ) {
    super(`${embedded ? 'the Jupyter server died' : `lost the Jupyter server at ${url}`}: ${why}`);
  }

  /** The message without its reason: "the Jupyter server died", "lost the Jupyter server at <url>". */
  get lead(): string {
    return this.embedded ? 'the Jupyter server died' : `lost the Jupyter server at ${this.url}`;
  }
}

export interface HealthOptions {
  graceSec?: number;
  embedded: boolean;
}

export class ServerHealth {
  readonly graceMs: number;
  private lostError?: ServerLostError;
  private listeners = new Set<(err: ServerLostError) => void>();
  private timer?: NodeJS.Timeout;
  private lastAnswer = Date.now();
  private closed = false;
  private readonly url: string;

  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly opts: HealthOptions,
  ) {
    this.graceMs = Math.max(0.1, opts.graceSec ?? DEFAULT_SERVER_GRACE_SEC) * 1000;
    this.url = redactUrl(settings.baseUrl);
  }

  get lost(): ServerLostError | undefined {
    return this.lostError;
  }

  /** Calls fn once when the server is lost (at once if it already is); returns an unsubscribe. */
  onLost(fn: (err: ServerLostError) => void): () => void {
    if (this.lostError) {
      fn(this.lostError);
      return () => undefined;
    }
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  markLost(why: string): void {
    if (this.lostError || this.closed) return;
    this.lostError = new ServerLostError(this.url, why, this.opts.embedded);
    this.stopProbing();
    for (const fn of [...this.listeners]) fn(this.lostError);
    this.listeners.clear();
  }

  /** Something on the server answered (a probe, a kernel message): it is alive now. */
  sawAnswer(): void {
    this.lastAnswer = Date.now();
  }

  /** Probes GET /api every interval; lost once nothing has answered for the grace period. */
  startProbing(): void {
    if (this.timer || this.closed || this.lostError) return;
    this.lastAnswer = Date.now();
    const interval = Math.min(2000, Math.max(50, this.graceMs / 4));
    const probeTimeout = Math.min(10_000, Math.max(100, this.graceMs / 2));
    let inFlight = false;
    this.timer = setInterval(() => {
      if (inFlight) {
        this.checkGrace();
        return;
      }
      inFlight = true;
      // /api needs no token, so the probe carries none.
      void fetch(this.settings.baseUrl + 'api', { signal: AbortSignal.timeout(probeTimeout), cache: 'no-store' })
        .then(
          async (res) => {
            await res.body?.cancel().catch(() => undefined);
            // Any HTTP answer shows the server process is serving; 5xx from a proxy in front does not.
            if (res.status < 500) this.sawAnswer();
          },
          () => undefined,
        )
        .finally(() => {
          inFlight = false;
          this.checkGrace();
        });
    }, interval);
    this.timer.unref();
  }

  private checkGrace(): void {
    const silent = Date.now() - this.lastAnswer;
    if (silent > this.graceMs) this.markLost(`no answer to GET /api for ${Math.round(silent / 1000)}s`);
  }

  private stopProbing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The runner stops the server on purpose: nothing counts as a loss any more. */
  close(): void {
    this.closed = true;
    this.stopProbing();
    this.listeners.clear();
  }
}

// One kernel for one run: started with the run's environment, executed cell by cell,
// interrupted, shut down. Talks REST for lifecycle and the WebSocket for messages.
import { KernelAPI, KernelConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute, resolve } from 'node:path';
import { JupyterError } from '../errors.js';
import { resolveKernelSpec, type KernelSpec } from './kernelspecs.js';
import { gatewayEnv } from './gateway.js';
import { KernelStartError, postKernel } from './kernelStart.js';
import { pidExpression, preambleFor } from './preamble.js';
import type { JupyterServer } from './server.js';

export interface StartKernelOptions {
  /** Kernel name wanted (flag or notebook metadata); undefined = server default. */
  kernelName?: string;
  /** Working directory: an absolute local path on the embedded server, a server-relative path on a remote one. */
  cwd?: string;
  /** Variables that must be in the kernel's process environment before any cell runs. */
  env: Record<string, string>;
  startTimeoutSec?: number;
}

/** Why a kernel stopped answering: used to turn a hang into a recorded outcome. */
export type KernelLoss = 'died' | 'disconnected';

export type IOPubListener = (msg: KernelMessage.IIOPubMessage) => void;

/** Every live session (shutting down included), so exit paths can kill kernels even when nothing can be awaited. */
const live = new Set<KernelSession>();
/** Shutdowns started with shutdownSoon() and not yet finished. */
const pendingShutdowns = new Set<Promise<void>>();

/**
 * When the server auto-restarts a dead kernel, @jupyterlab/services reconnects by
 * itself and leaves that promise unawaited; it rejects if the connection is disposed
 * first, which would crash the runner with an unhandled rejection. The runner learns
 * of the death from the status signal instead, so the rejection carries nothing.
 */
class RunnerKernelConnection extends KernelConnection {
  override reconnect(): Promise<void> {
    return super.reconnect().catch(() => undefined);
  }
}

export class KernelSession {
  readonly spec: KernelSpec;
  readonly language: string;
  /** Kernel process id, when the language reports one (used for a hard kill on the embedded server). */
  pid?: number;
  languageInfo?: KernelMessage.IInfoReply['language_info'];
  private lossListeners = new Set<(why: KernelLoss) => void>();
  private lost?: KernelLoss;
  private closed = false;

  private constructor(
    readonly server: JupyterServer,
    readonly kernel: Kernel.IKernelConnection,
    spec: KernelSpec,
  ) {
    this.spec = spec;
    this.language = spec.language;
    kernel.statusChanged.connect((_, status) => {
      if (status === 'autorestarting' || status === 'restarting' || status === 'dead') {
        // A restarted kernel is a new process: the old pid may soon belong to anything.
        this.pid = undefined;
        this.markLost('died');
      }
    });
    kernel.connectionStatusChanged.connect((_, status) => {
      if (status === 'disconnected' && !this.closed) this.markLost('disconnected');
    });
    live.add(this);
  }

  static async start(server: JupyterServer, opts: StartKernelOptions): Promise<KernelSession> {
    const spec = await resolveKernelSpec(server, opts.kernelName);
    const timeoutMs = (opts.startTimeoutSec ?? 60) * 1000;
    const started = startKernelProcess(server, spec, opts);
    let model: KernelAPI.IModel;
    try {
      model = await withTimeout(started, timeoutMs, `kernel "${spec.name}" did not start within ${timeoutMs / 1000}s on ${server.label}`);
    } catch (err) {
      if (!(err instanceof KernelStartError)) err = new KernelStartError((err as Error).message, 'server', undefined, err);
      // A start that completes after the timeout must not leave its kernel behind.
      void started.then((m) => KernelAPI.shutdownKernel(m.id, server.settings)).catch(() => undefined);
      throw err;
    }
    const kernel = new RunnerKernelConnection({ model, serverSettings: server.settings, handleComms: false });
    const session = new KernelSession(server, kernel, spec);
    try {
      const ready = (async () => {
        const info = await kernel.info;
        session.languageInfo = info.language_info;
        await session.runPreamble(opts);
      })();
      await withTimeout(ready, timeoutMs, `kernel "${spec.name}" did not answer within ${timeoutMs / 1000}s on ${server.label}`);
    } catch (err) {
      await session.shutdown();
      throw err;
    }
    return session;
  }

  /** Sets env (again, for servers that ignore the kernelspec route), defines the helper module, learns the pid. */
  private async runPreamble(opts: StartKernelOptions): Promise<void> {
    const code = preambleFor(this.language, opts.env) ?? '';
    const pidExpr = pidExpression(this.language);
    const future = this.kernel.requestExecute({
      code,
      silent: true,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false,
      user_expressions: pidExpr ? { pid: pidExpr } : {},
    });
    const reply = await this.untilDoneOrLost(future);
    const content = reply.content as KernelMessage.IExecuteReply & { user_expressions?: Record<string, { status: string; data?: Record<string, string> }> };
    if (reply.content.status !== 'ok') {
      const err = reply.content as unknown as KernelMessage.IReplyErrorContent;
      throw new JupyterError(`kernel set-up failed on ${this.server.label}: ${err.ename}: ${err.evalue}`);
    }
    const pidText = content.user_expressions?.pid?.data?.['text/plain'];
    if (pidText && /^\d+$/.test(pidText.trim())) this.pid = Number(pidText.trim());
  }

  get kernelId(): string {
    return this.kernel.id;
  }

  /** Resolves with the reply, or rejects with KernelLostError if the kernel dies or the connection drops first. */
  async untilDoneOrLost<T extends KernelMessage.IShellMessage>(future: Kernel.IShellFuture<KernelMessage.IShellMessage, T>): Promise<T> {
    if (this.lost) throw new KernelLostError(this.lost);
    let remove: (() => void) | undefined;
    const lostP = new Promise<never>((_, rej) => {
      const fn = (why: KernelLoss) => rej(new KernelLostError(why));
      this.lossListeners.add(fn);
      remove = () => this.lossListeners.delete(fn);
    });
    try {
      return (await Promise.race([future.done, lostP])) as T;
    } finally {
      remove?.();
    }
  }

  onLoss(fn: (why: KernelLoss) => void): () => void {
    this.lossListeners.add(fn);
    return () => this.lossListeners.delete(fn);
  }

  get isLost(): boolean {
    return this.lost !== undefined;
  }

  private markLost(why: KernelLoss): void {
    if (this.lost || this.closed) return;
    this.lost = why;
    for (const fn of [...this.lossListeners]) fn(why);
  }

  async interrupt(): Promise<void> {
    if (this.closed) return;
    await KernelAPI.interruptKernel(this.kernel.id, this.server.settings).catch(() => undefined);
  }

  /** Shuts the kernel down through the server; idempotent; never throws. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // The socket goes first: nothing more is read from this kernel, and the server
      // need not relay its last messages while it waits for the process to exit.
      this.kernel.dispose();
      try {
        await withTimeout(KernelAPI.shutdownKernel(this.kernel.id, this.server.settings), 10_000, 'shutdown timed out');
      } catch {
        this.killSync();
      }
    } finally {
      live.delete(this);
    }
  }

  /**
   * Starts the shutdown and returns at once. The server's DELETE answers only once the
   * kernel process has exited (jupyter_client polls for that every 100 ms), so a run
   * that waited for it would hold its slot ~0.2 s longer for nothing. The session stays
   * known to the exit paths until the shutdown ends; settleShutdowns() awaits it.
   */
  shutdownSoon(): void {
    const p = this.shutdown();
    pendingShutdowns.add(p);
    void p.finally(() => pendingShutdowns.delete(p));
  }

  /**
   * Kills the kernel directly (embedded server only, where the pid is local). jupyter_client
   * starts kernels in their own session, so the process group also takes any worker
   * processes a cell started.
   */
  killSync(): void {
    if (!this.pid || !this.server.kernelspecDir) return;
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, 'SIGKILL');
        return;
      } catch {
        /* not a group leader, or gone */
      }
    }
  }
}

/**
 * The kernel's working directory: --cwd if given, else the notebook's folder on the
 * embedded server. A remote server cannot see local folders, so there the default is
 * its root_dir and --cwd is a path relative to it.
 */
export function kernelCwd(flag: string | undefined, notebookDir: string, server: JupyterServer): string | undefined {
  if (flag !== undefined && flag !== '') return server.kernelspecDir ? resolve(flag) : flag;
  return server.kernelspecDir ? notebookDir : undefined;
}

export class KernelLostError extends Error {
  constructor(readonly why: KernelLoss) {
    super(why === 'died' ? 'the kernel died' : 'the connection to the kernel was lost');
  }
}

/** Last-resort cleanup from a synchronous exit path. */
export function killAllKernelsSync(): void {
  for (const s of live) s.killSync();
}

/** Waits until at most `atMost` background shutdowns are still running (all of them by default). */
export async function settleShutdowns(atMost = 0): Promise<void> {
  while (pendingShutdowns.size > atMost) await Promise.race(pendingShutdowns);
}

async function startKernelProcess(server: JupyterServer, base: KernelSpec, opts: StartKernelOptions): Promise<KernelAPI.IModel> {
  const body: Record<string, unknown> = {};
  let privateSpecDir: string | undefined;
  if (server.kernelspecDir) {
    // A private kernelspec carries the env into the kernel process before the
    // interpreter starts; jupyter_client rescans spec dirs on every start.
    const name = `rn-${base.name}-${randomBytes(6).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '_');
    privateSpecDir = join(server.kernelspecDir, name);
    mkdirSync(privateSpecDir, { recursive: true });
    const kernelJson = {
      argv: base.argv,
      display_name: base.display_name,
      language: base.language,
      interrupt_mode: (base as { interrupt_mode?: string }).interrupt_mode ?? 'signal',
      // Kernels inherit the server's environment, which holds its token: give them the
      // user's own JUPYTER_TOKEN (or none) so a notebook printing os.environ leaks nothing.
      env: { ...(base.env ?? {}), JUPYTER_TOKEN: process.env.JUPYTER_TOKEN ?? '', ...opts.env },
      metadata: base.metadata ?? {},
    };
    writeFileSync(join(privateSpecDir, 'kernel.json'), JSON.stringify(kernelJson));
    body.name = name;
    if (opts.cwd) body.path = isAbsolute(opts.cwd) ? relative('/', opts.cwd) : opts.cwd;
  } else {
    body.name = base.name;
    // Relative to the server's root; without a path a server starts the kernel in its
    // own process's working directory instead.
    body.path = opts.cwd ?? '';
    // Gateways take env in the start request (KERNEL_* and an allow-list); values they
    // would refuse stay out, and the preamble sets every variable anyway.
    if (server.isGateway) {
      const run = { ...opts.env, ...(opts.cwd ? { KERNEL_WORKING_DIR: opts.cwd } : {}) };
      body.env = gatewayEnv({ run, server: server.env, startTimeoutSec: opts.startTimeoutSec }).env;
    }
  }
  try {
    return await postKernel(server.settings, server.label, body);
  } finally {
    if (privateSpecDir) rmSync(privateSpecDir, { recursive: true, force: true });
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new JupyterError(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

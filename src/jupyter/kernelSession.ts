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
import { argvFor } from './interpreter.js';
import { executableExpression, parseReprString, pidExpression, preambleFor, PYTHON_HELPER_FILE } from './preamble.js';
import type { OwnedProcesses } from './processes.js';
import { ServerLostError } from './health.js';
import { maxMessageBytes, onOversizedMessage } from './settings.js';
import type { JupyterServer } from './server.js';

export interface StartKernelOptions {
  /** Kernel name wanted (flag or notebook metadata); undefined = server default. */
  kernelName?: string;
  /** Working directory: an absolute local path on the embedded server, a server-relative path on a remote one. */
  cwd?: string;
  /** Variables that must be in the kernel's process environment before any cell runs. */
  env: Record<string, string>;
  startTimeoutSec?: number;
  /** Where the session is known until its shutdown ends, for emergency kills (the pool's registry). */
  processes?: OwnedProcesses;
  /** Embedded server: the private kernelspec's argv in place of the base spec's (--warm's launcher), given the base argv. */
  argv?: (base: string[]) => string[];
  /** The Python to run a kernel whose spec runs a bare `python` (see interpreter.ts); embedded server only. */
  interpreter?: string;
}

/** Why a kernel stopped answering: used to turn a hang into a recorded outcome. */
export type KernelLoss = 'died' | 'disconnected' | 'server_lost' | 'message_too_big';

/** An IOPub message, as the runner reads it. */
export interface IOPubMessage {
  readonly msgType: string;
  /** The message header's ISO date. */
  readonly date: string;
  readonly content: Readonly<Record<string, unknown>>;
  /** The msg_id of the request that caused it (the Output widget captures by it). */
  readonly parentMsgId?: string;
  /** Binary parts (widget comm messages carry them). */
  readonly buffers?: readonly (ArrayBuffer | ArrayBufferView)[];
}

export type IOPubListener = (msg: IOPubMessage) => void;

export interface ExecuteRequest {
  /** Silent requests produce no outputs and no execution count. Default false. */
  silent?: boolean;
  /** Default false. */
  storeHistory?: boolean;
  /** Abort the kernel's queued requests after an error. Default true. */
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  /** nbformat cell id, sent in the request's metadata. */
  cellId?: string;
  /** IOPub messages this request caused, in order. */
  onIOPub?: IOPubListener;
  /** Aborting interrupts the kernel; the reply (or the loss) still ends the request. */
  signal?: AbortSignal;
}

/** The execute_reply: its header date, and its content (status ok, error or abort). */
export interface ExecuteReply {
  readonly date: string;
  readonly content: {
    readonly status: 'ok' | 'error' | 'abort' | string;
    readonly execution_count?: number | null;
    readonly ename?: string;
    readonly evalue?: string;
    readonly traceback?: string[];
    readonly user_expressions?: Record<string, { status: string; data?: Record<string, string> }>;
  };
}

function toIOPub(msg: KernelMessage.IIOPubMessage): IOPubMessage {
  return { msgType: msg.header.msg_type, date: msg.header.date, content: msg.content as unknown as Record<string, unknown>, parentMsgId: (msg.parent_header as { msg_id?: string } | undefined)?.msg_id, buffers: msg.buffers };
}

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
  /** The interpreter the kernel reports (Python's sys.executable), when the language has one. */
  executable?: string;
  languageInfo?: KernelMessage.IInfoReply['language_info'];
  private lossListeners = new Set<(why: KernelLoss) => void>();
  private lost?: KernelLoss;
  private closed = false;
  private readonly forget: () => void;
  private stuckTimer?: NodeJS.Timeout;
  private readonly unwatchServer: () => void;
  private closedHooks: ((confirmed: boolean) => void)[] = [];
  private ended = false;
  /** The server confirmed the shutdown (else the kernel may still be there). */
  private confirmed = false;

  private constructor(
    readonly server: JupyterServer,
    private readonly kernel: Kernel.IKernelConnection,
    spec: KernelSpec,
    processes: OwnedProcesses | undefined,
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
      // A socket that cannot reopen means a server that is gone or stuck; the library
      // itself would keep polling the kernel's REST model every 10-30 s forever.
      clearTimeout(this.stuckTimer);
      if (status === 'connecting' && !this.closed) {
        const grace = server.health.graceMs;
        this.stuckTimer = setTimeout(() => server.health.markLost(`its WebSocket stayed connecting for ${Math.round(grace / 1000)}s`), grace);
        this.stuckTimer.unref();
      }
    });
    const unwatchSize = onOversizedMessage(kernel.id, () => this.markLost('message_too_big'));
    const unwatchHealth = server.health.onLost(() => {
      // Kernels of an embedded server are local processes: end them now.
      this.killSync();
      this.markLost('server_lost');
    });
    this.unwatchServer = () => {
      unwatchSize();
      unwatchHealth();
    };
    this.forget = processes?.addSession(this) ?? (() => undefined);
  }

  static async start(server: JupyterServer, opts: StartKernelOptions): Promise<KernelSession> {
    if (server.health.lost) throw server.health.lost;
    const spec = await withServer(server, resolveKernelSpec(server, opts.kernelName));
    const timeoutMs = (opts.startTimeoutSec ?? 60) * 1000;
    const started = startKernelProcess(server, spec, opts);
    let model: KernelAPI.IModel;
    try {
      model = await withTimeout(withServer(server, started), timeoutMs, `kernel "${spec.name}" did not start within ${timeoutMs / 1000}s on ${server.label}`);
    } catch (err) {
      if (!(err instanceof KernelStartError) && !(err instanceof ServerLostError)) err = new KernelStartError((err as Error).message, 'server', undefined, err);
      // A start that completes after the timeout must not leave its kernel behind.
      void started.then((m) => KernelAPI.shutdownKernel(m.id, server.settings)).catch(() => undefined);
      throw err;
    }
    const kernel = new RunnerKernelConnection({ model, serverSettings: server.settings, handleComms: false });
    const session = new KernelSession(server, kernel, spec, opts.processes);
    try {
      const ready = (async () => {
        const info = await kernel.info;
        session.languageInfo = info.language_info;
        await session.runPreamble(opts);
      })();
      await withTimeout(withServer(server, ready), timeoutMs, `kernel "${spec.name}" did not answer within ${timeoutMs / 1000}s on ${server.label}`);
    } catch (err) {
      await session.shutdown();
      // A kernel that never answers is the server's trouble (a start timeout), not the run's.
      if (err instanceof JupyterError && /did not answer within/.test(err.message)) throw new KernelStartError(err.message, 'server', undefined, err);
      throw err;
    }
    return session;
  }

  /** Sets env (again, for servers that ignore the kernelspec route), defines the helper module, learns the pid. */
  private async runPreamble(opts: StartKernelOptions): Promise<void> {
    const pidExpr = pidExpression(this.language);
    const exeExpr = executableExpression(this.language);
    const userExpressions = { ...(pidExpr ? { pid: pidExpr } : {}), ...(exeExpr ? { executable: exeExpr } : {}) };
    const run = (code: string) => this.execute(code, { silent: true, stopOnError: false, userExpressions });
    // The embedded server's kernels usually share this machine's files and read the helper
    // from its file; one that cannot (a kernelspec that starts a container) gets its source.
    const local = this.server.kernelspecDir ? preambleFor(this.language, opts.env, undefined, { helperFile: PYTHON_HELPER_FILE }) : undefined;
    let { content } = await run(local ?? preambleFor(this.language, opts.env) ?? '');
    if (local && content.status !== 'ok' && /^(FileNotFoundError|PermissionError|IsADirectoryError|NotADirectoryError|OSError)$/.test(content.ename ?? '')) {
      ({ content } = await run(preambleFor(this.language, opts.env) ?? ''));
    }
    if (content.status !== 'ok') throw new JupyterError(`kernel set-up failed on ${this.server.label}: ${content.ename}: ${content.evalue}`);
    const pidText = content.user_expressions?.pid?.data?.['text/plain'];
    if (pidText && /^\d+$/.test(pidText.trim())) this.pid = Number(pidText.trim());
    const exeText = content.user_expressions?.executable?.data?.['text/plain'];
    if (exeText) this.executable = parseReprString(exeText);
  }

  get kernelId(): string {
    return this.kernel.id;
  }

  /**
   * Runs code and resolves with its execute_reply once the kernel is idle again, or rejects
   * with KernelLostError if the kernel dies or the connection drops first. `onIOPub` sees
   * the messages this request caused; `onAnyIOPub` sees every message (display updates of
   * earlier requests included).
   */
  async execute(code: string, req: ExecuteRequest = {}): Promise<ExecuteReply> {
    const future = this.kernel.requestExecute(
      {
        code,
        silent: req.silent ?? false,
        store_history: req.storeHistory ?? false,
        allow_stdin: false,
        stop_on_error: req.stopOnError ?? true,
        user_expressions: req.userExpressions ?? {},
      },
      true,
      req.cellId !== undefined ? { cellId: req.cellId } : undefined,
    );
    const msgId = future.msg.header.msg_id;
    const listener = req.onIOPub
      ? (_: unknown, msg: KernelMessage.IIOPubMessage) => {
          if (msg.parent_header && (msg.parent_header as { msg_id?: string }).msg_id === msgId) req.onIOPub!(toIOPub(msg));
        }
      : undefined;
    if (listener) this.kernel.iopubMessage.connect(listener);
    const onAbort = () => void this.interrupt();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await this.untilDoneOrLost(future);
      return { date: reply.header.date, content: reply.content as ExecuteReply['content'] };
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
      if (listener) this.kernel.iopubMessage.disconnect(listener);
    }
  }

  /** Every IOPub message of this kernel, whatever request caused it; returns the unsubscribe. */
  onAnyIOPub(fn: IOPubListener): () => void {
    const listener = (_: unknown, msg: KernelMessage.IIOPubMessage) => fn(toIOPub(msg));
    this.kernel.iopubMessage.connect(listener);
    return () => void this.kernel.iopubMessage.disconnect(listener);
  }

  /** Resolves with the reply, or rejects with KernelLostError if the kernel dies or the connection drops first. */
  private async untilDoneOrLost<T extends KernelMessage.IShellMessage>(future: Kernel.IShellFuture<KernelMessage.IShellMessage, T>): Promise<T> {
    if (this.lost) throw this.lostError(this.lost);
    let remove: (() => void) | undefined;
    const lostP = new Promise<never>((_, rej) => {
      const fn = (why: KernelLoss) => rej(this.lostError(why));
      this.lossListeners.add(fn);
      remove = () => this.lossListeners.delete(fn);
    });
    try {
      return (await Promise.race([future.done, lostP])) as T;
    } finally {
      remove?.();
    }
  }

  private lostError(why: KernelLoss): KernelLostError {
    return new KernelLostError(why, why === 'server_lost' ? this.server.health.lost : undefined);
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

  /** The pool gave up on this kernel's server (down, retired): what waits on the kernel fails now. */
  abandon(): void {
    this.markLost('disconnected');
  }

  /** Called once the kernel is shut down, with whether the server confirmed it: the pool's slot for it is free then. */
  onClosed(fn: (confirmed: boolean) => void): void {
    if (this.ended) fn(this.confirmed);
    else this.closedHooks.push(fn);
  }

  async interrupt(): Promise<void> {
    if (this.closed || this.server.health.lost) return;
    await withTimeout(withServer(this.server, KernelAPI.interruptKernel(this.kernel.id, this.server.settings)), 10_000, 'interrupt timed out').catch(() => undefined);
  }

  /** Shuts the kernel down through the server; idempotent; never throws. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.stuckTimer);
    this.unwatchServer();
    try {
      // The socket goes first: nothing more is read from this kernel, and the server
      // need not relay its last messages while it waits for the process to exit.
      this.kernel.dispose();
      if (this.server.health.lost) {
        this.killSync();
        return;
      }
      try {
        await withTimeout(withServer(this.server, shutdownById(this.server, this.kernel.id)), 10_000, 'shutdown timed out');
        this.server.ownKernels.delete(this.kernel.id);
        this.confirmed = true;
      } catch {
        this.killSync();
      }
    } finally {
      this.forget();
      this.ended = true;
      for (const fn of this.closedHooks.splice(0)) fn(this.confirmed);
    }
  }

  /**
   * Starts the shutdown and returns it without waiting. The server's DELETE answers only
   * once the kernel process has exited (jupyter_client polls for that every 100 ms), so a
   * run that waited for it would hold its slot ~0.2 s longer for nothing. The session stays
   * known to the pool's exit paths until the shutdown ends; the caller tracks the promise
   * (BackgroundShutdowns) and awaits it before the sweep ends.
   */
  shutdownSoon(): Promise<void> {
    return this.shutdown();
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
  constructor(
    readonly why: KernelLoss,
    /** Set when the server itself was lost. */
    readonly serverError?: ServerLostError,
  ) {
    super(
      why === 'died'
        ? 'the kernel died'
        : why === 'server_lost'
          ? (serverError?.message ?? 'the Jupyter server was lost')
          : why === 'message_too_big'
            ? `a kernel message over ${maxMessageBytes() / 2 ** 20} MiB (the runner's limit) was dropped`
            : 'the connection to the kernel was lost',
    );
  }
}

/**
 * DELETE /api/kernels/<id>, whatever the kernel's state. While the server's restarter
 * brings a dead kernel back, jupyter_client answers that DELETE with HTTP 500 (its
 * `ready` future is not set yet), and the restarted kernel would be left running: so
 * a failed shutdown is retried until the kernel is gone (404) or the caller's bound.
 */
export async function shutdownById(server: JupyterServer, id: string): Promise<void> {
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    try {
      await KernelAPI.shutdownKernel(id, server.settings);
      return;
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status === 404) return;
      if (server.health.lost) throw err;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * The end-of-sweep check: any kernel the runner started on this server that the server
 * still lists (a restarted dead kernel, a shutdown that timed out) is shut down now.
 * Bounded; a server that does not answer or does not list kernels (Enterprise Gateway) is left as it is.
 */
export async function reapOwnKernels(server: JupyterServer, timeoutMs = 15_000): Promise<string[]> {
  if (server.ownKernels.size === 0 || server.health.lost) return [];
  const reaped: string[] = [];
  try {
    await withTimeout(
      (async () => {
        const listed = await KernelAPI.listRunning(server.settings);
        const mine = listed.filter((k) => server.ownKernels.has(k.id)).map((k) => k.id);
        await Promise.all(mine.map((id) => shutdownById(server, id).then(() => reaped.push(id))));
      })(),
      timeoutMs,
      'kernel check timed out',
    );
  } catch {
    /* best effort: the sweep's results are already written */
  }
  return reaped;
}

/** Rejects with the server's ServerLostError as soon as it is lost, else settles as p does. */
export function withServer<T>(server: JupyterServer, p: Promise<T>): Promise<T> {
  if (server.health.lost) {
    p.catch(() => undefined);
    return Promise.reject(server.health.lost);
  }
  let off: () => void = () => undefined;
  const lost = new Promise<never>((_, rej) => (off = server.health.onLost(rej)));
  lost.catch(() => undefined);
  return Promise.race([p, lost]).finally(off);
}

/** Kernel shutdowns started in the background (shutdownSoon) by one sweep, so it can bound and await them. */
export class BackgroundShutdowns {
  private readonly pending = new Set<Promise<void>>();

  add(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Waits until at most `atMost` of them are still running (all of them by default). */
  async settle(atMost = 0): Promise<void> {
    while (this.pending.size > atMost) await Promise.race(this.pending);
  }
}

/** The flag nbclient starts IPython kernels with: no history.sqlite shared (and locked) by parallel kernels. */
export const IN_MEMORY_HISTORY = '--HistoryManager.hist_file=:memory:';

/** An ipykernel argv with in-memory history, as nbclient starts kernels; other kernels' argv unchanged. */
export function inMemoryHistory(argv: string[]): string[] {
  const ipykernel = argv.some((a) => /(^|[/\\])ipykernel(_launcher)?(\.py)?$/.test(a));
  if (!ipykernel || argv.some((a) => a.startsWith('--HistoryManager.hist_file'))) return argv;
  return [...argv, IN_MEMORY_HISTORY];
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
      argv: opts.argv ? opts.argv(inMemoryHistory(argvFor(base, opts.interpreter))) : inMemoryHistory(argvFor(base, opts.interpreter)),
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
    const model = await postKernel(server.settings, server.label, body);
    server.ownKernels.add(model.id);
    return model;
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

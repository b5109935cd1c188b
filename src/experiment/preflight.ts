// The pre-flight check: before any run starts, a fresh kernel imports the experiment's
// module and checks the function, so a typo fails in one line (exit 2) instead of once
// per config. It also reads the module sources the fingerprint needs.
import type { KernelMessage } from '@jupyterlab/services';
import { KernelSession, type ServerPool } from '../jupyter/index.js';
import { JupyterError, UserError } from '../errors.js';
import { experimentCheckCode, infoFromCheckOutput, type ExperimentInfo } from './code.js';

export interface PreflightOptions {
  pool: ServerPool;
  kernelName: string;
  /** The kernel's working directory, as the server sees it (undefined: the server's choice). */
  cwd?: string;
  /** Where names are resolved, as the kernel sees it. */
  builderDir: string;
  /** The config builder, so its module's source can join the fingerprint. */
  builder: string;
  /** Kernel variables (a Python builder's own name resolution uses them). */
  env?: Record<string, string>;
  startTimeoutSec?: number;
  signal?: AbortSignal;
}

export async function checkExperiment(target: string, opts: PreflightOptions): Promise<ExperimentInfo> {
  const stdout: string[] = [];
  const content = await opts.pool.use(async (server) => {
    const session = await KernelSession.start(server, {
      kernelName: opts.kernelName,
      cwd: opts.cwd,
      env: { __CONFIG_BUILDER_DIR__: opts.builderDir, ...opts.env },
      startTimeoutSec: opts.startTimeoutSec,
    });
    try {
      if (session.language.toLowerCase() !== 'python') {
        throw new UserError(`an experiment runs a Python function, but kernel "${session.spec.name}" is ${session.language}; choose a Python kernel with --kernel`);
      }
      const future = session.kernel.requestExecute({ code: experimentCheckCode(target, opts.builder, opts.builderDir), silent: false, store_history: false, allow_stdin: false, stop_on_error: true });
      future.onIOPub = (msg) => {
        const c = msg.content as KernelMessage.IStreamMsg['content'];
        if (msg.header.msg_type === 'stream' && c.name === 'stdout') stdout.push(c.text);
      };
      const onAbort = () => void session.interrupt();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const reply = await session.untilDoneOrLost(future);
        if (opts.signal?.aborted) throw new UserError('interrupted while checking the experiment builder', { exitCode: 130 });
        return reply.content as { status: string; ename?: string; evalue?: string };
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
      }
    } finally {
      await session.shutdown();
    }
  });
  if (content.status !== 'ok') throw new JupyterError(`experiment builder "${target}": the check failed in the kernel with ${content.ename ?? 'an error'}: ${content.evalue ?? ''}`);
  return infoFromCheckOutput(stdout.join(''), target);
}

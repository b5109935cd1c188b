// The pre-flight check: before any run starts, a fresh kernel imports the experiment's
// module and checks the function, so a typo fails in one line (exit 2) instead of once
// per config. It also reads the module sources the fingerprint needs.
import { kernelCwd, type ServerPool } from '../jupyter/index.js';
import { JupyterError, UserError } from '../errors.js';
import { experimentCheckCode, infoFromCheckOutput, type ExperimentInfo } from './code.js';

export interface PreflightOptions {
  pool: ServerPool;
  kernelName: string;
  /** The Python the runs' kernels use (jupyter/interpreter.ts), so the check imports where they will. */
  interpreter?: string;
  /** --cwd, if given: the kernel's working directory (on a remote server, relative to its root). */
  cwd?: string;
  /** Where names are resolved (the runner's folder or --cwd); the kernel starts there on the embedded server. */
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
    const session = await opts.pool.startSession(server, {
      kernelName: opts.kernelName,
      interpreter: opts.interpreter,
      cwd: kernelCwd(opts.cwd, opts.builderDir, server),
      env: { __CONFIG_BUILDER_DIR__: opts.builderDir, ...opts.env },
      startTimeoutSec: opts.startTimeoutSec,
    });
    try {
      if (session.language.toLowerCase() !== 'python') {
        throw new UserError(`an experiment runs a Python function, but kernel "${session.spec.name}" is ${session.language}; choose a Python kernel with --kernel`);
      }
      const reply = await session.execute(experimentCheckCode(target, opts.builder, opts.builderDir), {
        onIOPub: (msg) => {
          if (msg.msgType === 'stream' && msg.content.name === 'stdout') stdout.push(String(msg.content.text));
        },
        signal: opts.signal,
      });
      if (opts.signal?.aborted) throw new UserError('interrupted while checking the experiment builder', { exitCode: 130 });
      return reply.content;
    } finally {
      await session.shutdown();
    }
  });
  if (content.status !== 'ok') throw new JupyterError(`experiment builder "${target}": the check failed in the kernel with ${content.ename ?? 'an error'}: ${content.evalue ?? ''}`);
  return infoFromCheckOutput(stdout.join(''), target);
}

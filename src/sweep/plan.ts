// Turns --config_builder into a ConfigPlan. A Python expression is evaluated in a
// kernel of the notebook's language, in the notebook's folder, with the run_notebook
// helper defined; everything else is the config stage's own business.
import { buildPlan, builderErrorFromKernel, builderKind, type ConfigPlan, type Parameters } from '../config/index.js';
import { kernelCwd, type ServerPool } from '../jupyter/index.js';
import { UsageError, UserError } from '../errors.js';

interface PlanContext {
  notebookDir: string;
  pool?: ServerPool;
  kernelName: string;
  /** The Python of a python3-style kernel (jupyter/interpreter.ts): the builder runs where the notebook will. */
  interpreter?: string;
  startTimeoutSec?: number;
  /** -p/-r/-f/-y: see config/parameters.ts. */
  parameters?: Parameters;
  /** Ctrl-C: the planning kernel is interrupted and planning ends with exit code 130. */
  signal?: AbortSignal;
}

export function needsKernelToPlan(builder: string | undefined): boolean {
  return builderKind(builder) === 'python';
}

export async function makePlan(
  builder: string | undefined,
  ctx: PlanContext & { title?: string; language: string },
): Promise<ConfigPlan> {
  if (needsKernelToPlan(builder) && ctx.language.toLowerCase() !== 'python') {
    throw new UsageError(`a Python config builder needs a Python kernel, but the notebook's kernel is ${ctx.language}; use a sweep file (.yaml/.json) instead`);
  }
  return buildPlan(builder, {
    builderDir: ctx.notebookDir,
    title: ctx.title,
    parameters: ctx.parameters,
    runPython: (code) => runInFreshKernel(builder!, code, ctx),
  });
}

/** Runs planning code in its own kernel and returns its stdout. */
async function runInFreshKernel(builder: string, code: string, ctx: PlanContext): Promise<string> {
  const pool = ctx.pool;
  if (!pool) throw new Error('planning a Python builder needs a server');
  const stdout: string[] = [];
  const reply = await pool.use(async (server) => {
    const session = await pool.startSession(server, {
      kernelName: ctx.kernelName,
      interpreter: ctx.interpreter,
      cwd: kernelCwd(undefined, ctx.notebookDir, server),
      env: { __CONFIG_BUILDER__: builder, __CONFIG_BUILDER_DIR__: ctx.notebookDir },
      startTimeoutSec: ctx.startTimeoutSec,
    });
    try {
      const reply = await session.execute(code, {
        // stderr (warnings from the builder's imports) must not split the plan line.
        onIOPub: (msg) => {
          if (msg.msgType === 'stream' && msg.content.name === 'stdout') stdout.push(String(msg.content.text));
        },
        signal: ctx.signal,
      });
      if (ctx.signal?.aborted) throw new UserError('interrupted while evaluating the config builder', { exitCode: 130 });
      return reply;
    } finally {
      await session.shutdown();
    }
  });
  const content = reply.content;
  if (content.status !== 'ok') throw builderErrorFromKernel(builder, content.ename ?? 'Error', content.evalue ?? '', content.traceback);
  return stdout.join('');
}

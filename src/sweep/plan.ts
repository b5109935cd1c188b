// Turns --config_builder into a ConfigPlan: nothing (one run), a sweep file (read
// here), or a Python expression (evaluated in a kernel of the notebook's language,
// in the notebook's folder, with the run_notebook helper defined).
import type { KernelMessage } from '@jupyterlab/services';
import { ConfigBuilderError, loadSweepFile, planFromPythonOutput, pythonPlanCode, isSweepFile, type ConfigPlan } from '../config/index.js';
import { KernelSession, type ServerPool } from '../jupyter/index.js';
import { UsageError } from '../errors.js';
import { RUN_ENV } from './options.js';

export function singleRunPlan(): ConfigPlan {
  return { builder: '', kind: 'none', configs: [{ index: 0, json: null, repr: '(no config builder)', name: 'run', params: {} }] };
}

export function needsKernelToPlan(builder: string | undefined): boolean {
  return !!builder && !isSweepFile(builder);
}

export async function makePlan(
  builder: string | undefined,
  ctx: { notebookDir: string; title?: string; pool?: ServerPool; kernelName: string; language: string; startTimeoutSec?: number },
): Promise<ConfigPlan> {
  if (!builder) return singleRunPlan();
  if (isSweepFile(builder)) return loadSweepFile(builder, { title: ctx.title });
  if (ctx.language.toLowerCase() !== 'python') {
    throw new UsageError(`a Python config builder needs a Python kernel, but the notebook's kernel is ${ctx.language}; use a sweep file (.yaml/.json) instead`);
  }
  if (!ctx.pool) throw new Error('planning a Python builder needs a server');
  const code = pythonPlanCode(builder, ctx.notebookDir);
  const stdout: string[] = [];
  const reply = await ctx.pool.use(async (server) => {
    const session = await KernelSession.start(server, {
      kernelName: ctx.kernelName,
      cwd: ctx.notebookDir,
      env: { [RUN_ENV.builder]: builder, [RUN_ENV.builderDir]: ctx.notebookDir },
      startTimeoutSec: ctx.startTimeoutSec,
    });
    try {
      const future = session.kernel.requestExecute({ code, silent: false, store_history: false, allow_stdin: false, stop_on_error: true });
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') stdout.push((msg.content as KernelMessage.IStreamMsg['content']).text);
      };
      return (await session.untilDoneOrLost(future)) as KernelMessage.IExecuteReplyMsg;
    } finally {
      await session.shutdown();
    }
  });
  const content = reply.content as { status: string; ename?: string; evalue?: string; traceback?: string[] };
  if (content.status !== 'ok') {
    const tb = (content.traceback ?? []).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
    throw new ConfigBuilderError(`config builder ${builder} failed: ${content.ename}: ${content.evalue}`, tb);
  }
  return planFromPythonOutput(stdout.join(''), builder);
}

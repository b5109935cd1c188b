// A run's kernel: started with the environment that names the run (and its slot's
// devices), or taken from the ones started ahead (KernelPrefetch).
import { configEnv, type PlannedConfig } from '../config/index.js';
import { KernelStartError, ServerLostError, kernelCwd, type JupyterServer, type KernelSession } from '../jupyter/index.js';
import { RunLayout } from '../results/layout.js';
import type { RunContext } from './runConfig.js';
import { reportColdStarts } from './warm.js';

/**
 * The kernel for an attempt: on the first, the one started ahead for this run if it is
 * still alive (a prefetched kernel can die or be culled while it waits), else a new one.
 */
export async function acquireKernel(ctx: RunContext, config: PlannedConfig, slotEnv: Record<string, string>, first: boolean, avoid?: JupyterServer): Promise<KernelSession> {
  const ahead = first ? ctx.prefetch?.take(config.index) : undefined;
  const early = ahead && (await ahead.catch(() => undefined));
  if (early && !early.isLost) return early;
  if (early) ctx.shutdowns.add(early.shutdownSoon());
  try {
    return await startRunKernel(ctx, config, slotEnv, avoid);
  } catch (err) {
    if (ctx.stop.signal.aborted) throw err;
    // The server went away during the start: nothing ran, so start again on the
    // pool's replacement (an embedded server restarted) if there is one.
    if (err instanceof ServerLostError && !ctx.pool.exhausted) return startRunKernel(ctx, config, slotEnv, avoid);
    // A kernel that started but never answered its first request says nothing about the
    // run (seen once in CI, kernel_info unanswered for 60 s): one fresh kernel, said in a
    // line. With several servers the scheduler requeues such a start instead.
    if (err instanceof KernelStartError && !ctx.pool.scheduler && /did not answer within/.test(err.message)) {
      ctx.emit({ type: 'warning', message: `run ${config.index}: ${err.message}; starting a fresh kernel (once)` });
      return startRunKernel(ctx, config, slotEnv, avoid);
    }
    throw err;
  }
}

/**
 * Starts a kernel for one run of `config`, its environment naming that run. Kernels of
 * finished runs exit in the background; at most one per thread may still be going.
 */
export async function startRunKernel(ctx: RunContext, config: PlannedConfig, slotEnv: Record<string, string>, avoid?: JupyterServer): Promise<KernelSession> {
  await ctx.shutdowns.settle(ctx.opts.numThreads);
  const layout = new RunLayout(ctx.opts.dstDir, config.index, ctx.target.stem);
  const t0 = Date.now();
  const warm = ctx.warm;
  // On remote servers the pool's scheduler picks one with a free slot, avoiding `avoid`.
  const session = await ctx.pool.startScheduled(
    (server) => ({
      kernelName: ctx.kernel.name,
      interpreter: ctx.kernel.interpreter?.path,
      cwd: kernelCwd(ctx.opts.cwd, ctx.target.dir, server),
      // On a remote server the run's folder is a scratch folder there (remoteResults.ts).
      env: { ...configEnv(ctx.plan, config, { dstDir: ctx.opts.dstDir, configPath: layout.configJson, builderDir: ctx.target.dir, ...ctx.remote?.kernelPaths(server, config.index) }), ...slotEnv },
      startTimeoutSec: ctx.opts.startTimeoutSec,
      argv: warm && server === ctx.pool.primary ? (base) => warm.launcherArgv(base) : undefined,
    }),
    { avoid, signal: ctx.stop.signal },
  );
  startTimes.set(session, (Date.now() - t0) / 1000);
  if (warm) reportColdStarts(warm, ctx.emit);
  return session;
}

/** How long each kernel took to start, measured where it started (ahead of its run or not). */
const startTimes = new WeakMap<KernelSession, number>();

export function kernelStartSec(session: KernelSession): number | undefined {
  return startTimes.get(session);
}

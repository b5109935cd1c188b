// --warm for a sweep: one template for the sweep's kernel (jupyter/warm), started once
// the kernelspec is known, and one line for every reason a kernel still started cold.
import { kernelCwd, resolveKernelSpec, startWarm, type ServerPool, type WarmTemplate } from '../jupyter/index.js';
import { configEnv, type ConfigPlan } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { EventSink } from './events.js';
import type { SweepOptions } from './options.js';
import type { ResolvedKernel, RunTarget } from './target.js';

/** The variables every run shares (no config, no run folder): what a --warm_prefix sees. */
const SHARED_VARS = ['__CONFIG_BUILDER__', '__CONFIG_BUILDER_DIR__', '__CONFIG_DST_DIR__'];

export async function openWarm(opts: SweepOptions, pool: ServerPool, kernel: ResolvedKernel, target: RunTarget, plan: ConfigPlan, emit: EventSink): Promise<WarmTemplate | undefined> {
  const server = pool.primary;
  const first = plan.configs[0];
  const env = first ? configEnv(plan, first, { dstDir: opts.dstDir, configPath: '', builderDir: target.dir }) : {};
  const shared = Object.fromEntries(Object.entries(env).filter(([k]) => SHARED_VARS.includes(k)));
  const spec = await resolveKernelSpec(server, kernel.name);
  const cwd = kernelCwd(opts.cwd, target.dir, server) ?? target.dir;
  const t0 = performance.now();
  const template = await startWarm({
    server,
    spec,
    interpreter: kernel.interpreter?.path,
    cwd,
    imports: opts.warmImports,
    codeCells: [...(target.importSources ?? [])],
    processes: pool.processes,
    prefix: opts.warmPrefix ? target.prefix?.sources : undefined,
    env: shared,
    timeoutSec: opts.startTimeoutSec,
    onWarning: (message) => emit({ type: 'warning', message }),
    onLog: opts.verbose ? (l) => process.stderr.write(`[warm] ${l}\n`) : undefined,
  });
  if (template?.prefix) target.prefix?.use(template.prefix);
  if (template && opts.verbose) {
    const skipped = template.skipped.length ? `; skipped ${template.skipped.join(', ')}` : '';
    process.stderr.write(`[warm] template ready in ${((performance.now() - t0) / 1000).toFixed(2)} s, imported ${template.imported.join(', ') || 'ipykernel only'}${skipped}\n`);
  }
  return template;
}

/** Reports (once per distinct reason) kernels that launchers had to start cold. */
export function reportColdStarts(template: WarmTemplate | undefined, emit: EventSink): void {
  for (const why of template?.takeColdReasons() ?? []) {
    emit({ type: 'warning', message: `warm: a kernel started cold: ${why}` });
  }
}

/** --warm_prefix is a notebook's: a target without cells above a parameters cell (an experiment) refuses it in one line. */
export function refuseWarmPrefix(opts: Pick<SweepOptions, 'warmPrefix'>, target: Pick<RunTarget, 'prefix'>): void {
  if (opts.warmPrefix && !target.prefix) {
    throw new UsageError('--warm_prefix runs the cells above a notebook\'s parameters cell once, and an experiment has no cells: use --warm (the template pre-imports what the function\'s module imports)');
  }
}


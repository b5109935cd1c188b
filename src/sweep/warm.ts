// --warm for a sweep: one template for the sweep's kernel (jupyter/warm), started once
// the kernelspec is known, and one line for every reason a kernel still started cold.
import { kernelCwd, resolveKernelSpec, startWarm, type ServerPool, type WarmTemplate } from '../jupyter/index.js';
import type { EventSink } from './events.js';
import type { SweepOptions } from './options.js';
import type { RunTarget } from './target.js';

export async function openWarm(opts: SweepOptions, pool: ServerPool, kernelName: string, target: RunTarget, emit: EventSink): Promise<WarmTemplate | undefined> {
  const server = pool.primary;
  const spec = await resolveKernelSpec(server, kernelName);
  const cwd = kernelCwd(opts.cwd, target.dir, server) ?? target.dir;
  const t0 = performance.now();
  const template = await startWarm({
    server,
    spec,
    cwd,
    imports: opts.warmImports,
    codeCells: [...(target.importSources ?? [])],
    processes: pool.processes,
    timeoutSec: opts.startTimeoutSec,
    onWarning: (message) => emit({ type: 'warning', message }),
    onLog: opts.verbose ? (l) => process.stderr.write(`[warm] ${l}\n`) : undefined,
  });
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

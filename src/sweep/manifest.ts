// sweep.json: what a sweep ran (notebook, builder, options, kernel, servers) and when.
// Written when the runs start, and again with ended_at when they are over.
import { join } from 'node:path';
import type { ConfigPlan } from '../config/index.js';
import { redactUrl, type ServerPool } from '../jupyter/index.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { VERSION } from '../version.js';
import { SWEEP_FILES } from '../results/layout.js';
import type { SweepOptions } from './options.js';
import type { ResolvedKernel, RunTarget } from './target.js';

export interface SweepManifest {
  tool: string;
  notebook: string;
  notebook_digest: string;
  builder: string;
  builder_kind: string;
  title?: string;
  configs: number;
  selected: number[];
  options: Record<string, unknown>;
  kernel: string;
  /** The interpreter of a python3-style kernel: path, source (--python, VIRTUAL_ENV, ...), why, and the console's line. */
  interpreter?: Record<string, unknown>;
  /** Per server: URL and version; with a scheduler also name, kind, slots, runs, failures, requeues, state, orphans. */
  servers: Record<string, unknown>[];
  started_at: string;
  ended_at: string | null;
  /** Why the sweep started no more runs on its own ('fail_fast'). */
  stopped?: string;
}

export function sweepManifest(m: { opts: SweepOptions; target: RunTarget; plan: ConfigPlan; selected: number[]; kernel: ResolvedKernel; pool: ServerPool; startedAt: string }): SweepManifest {
  return {
    tool: `run-notebook ${VERSION}`,
    notebook: m.target.label,
    notebook_digest: m.target.digest,
    builder: m.plan.builder,
    builder_kind: m.plan.kind,
    title: m.plan.title,
    configs: m.plan.configs.length,
    selected: [...m.selected].sort((a, b) => a - b),
    options: redactOptions(m.opts),
    kernel: m.kernel.name,
    interpreter: { ...m.kernel.interpreter, description: m.kernel.description },
    servers: m.pool.scheduler?.table() ?? m.pool.servers.map((s) => ({ url: s.label, version: s.version })),
    started_at: m.startedAt,
    ended_at: null,
  };
}

export async function writeManifest(dstDir: string, manifest: SweepManifest): Promise<void> {
  await writeFileAtomic(join(dstDir, SWEEP_FILES.manifest), JSON.stringify(manifest, null, 1) + '\n');
}

function redactOptions(o: SweepOptions): Record<string, unknown> {
  const { token, cellRules, ...rest } = o;
  void cellRules;
  // A URL may carry a token (?token=) or a password: neither goes into a file.
  return { ...rest, serverUrls: rest.serverUrls?.map((u) => redactUrl(u)), token: token ? '***' : undefined };
}

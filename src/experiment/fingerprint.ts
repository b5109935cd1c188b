// What an experiment adds to a run's fingerprint (--incremental): the experiment
// builder's name and the source of its module (and of the module that defines the
// function, when it is re-exported), plus the source of the config builder's module(s).
// Modules those import are not followed: editing one of them does not make runs stale.
import type { ExperimentInfo, ModuleDigest } from './code.js';

export function experimentFingerprintPart(info: ExperimentInfo): string {
  const mod = (m: ModuleDigest) => `${m.name}:${m.sha256 ?? 'no-source'}`;
  return [`experiment:${info.target}`, ...info.modules.map(mod), ...info.builder_modules.map((m) => `builder:${mod(m)}`)].join('\n');
}

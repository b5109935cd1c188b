// What an experiment adds to a run's fingerprint (--incremental): the experiment
// builder's name and the source of its module (and of the module that defines the
// function, when it is re-exported), the source of the config builder's module(s), and the
// source of every local module those imported when the pre-flight kernel imported them
// (found in its sys.modules: files outside the standard library and installed packages).
// A module imported only inside the function, while it runs, is not seen.
import type { ExperimentInfo, ModuleDigest } from './code.js';

export function experimentFingerprintPart(info: ExperimentInfo): string {
  const mod = (m: ModuleDigest) => `${m.name}:${m.sha256 ?? 'no-source'}`;
  return [
    `experiment:${info.target}`,
    ...info.modules.map(mod),
    ...info.builder_modules.map((m) => `builder:${mod(m)}`),
    ...(info.local_modules ?? []).map((m) => `local:${mod(m)}`),
  ].join('\n');
}

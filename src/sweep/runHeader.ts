// The header of a run's page (status, timings, kernel, config, tags, artifacts), built from a
// finished run the same way for every target; a target adds where its error is.
import type { RunHeader } from '../html/index.js';
import { pageArtifacts } from '../results/artifacts.js';
import { configDescription, configTags, listArtifacts, rowPaths } from '../results/rows.js';
import { runPageStatus } from '../status.js';
import type { FinishedRun } from './target.js';

export function runPageHeader(run: FinishedRun, error?: RunHeader['error']): RunHeader {
  const { config, record, last, dstDir, layout } = run;
  return {
    index: config.index,
    name: config.name,
    // A failed run shows how its last attempt ended (timeout, kernel_died).
    status: runPageStatus(record.status, last?.status),
    durationSec: record.durationSec,
    attempts: record.attempts.length,
    kernelStartSec: record.kernelStartSec,
    kernel: record.kernel,
    python: record.python,
    tags: configTags(config),
    description: configDescription(config) ?? undefined,
    artifacts: pageArtifacts(dstDir, layout.dir, listArtifacts(rowPaths(dstDir, layout))),
    configText: config.repr,
    configJson: config.json ?? undefined,
    error,
  };
}

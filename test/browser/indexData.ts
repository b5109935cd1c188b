// A synthetic sweep for the index page: lr × model × seed, five metrics, failures, a run
// that never ran, tags, files and outputs. Shared by the browser tests and the bench.
import type { SweepIndex, SweepIndexRow } from '../../src/html/index.js';

export function sweepIndexData(opts: { lrs?: number[]; models?: string[]; seeds?: number; metrics?: number } = {}): SweepIndex {
  const lrs = opts.lrs ?? [0.3, 0.1, 0.03, 0.01];
  const models = opts.models ?? ['mlp', 'cnn'];
  const seeds = opts.seeds ?? 3;
  const metricNames = ['accuracy', 'loss', 'f1', 'val_loss', 'throughput'].slice(0, opts.metrics ?? 5);
  const rows: SweepIndexRow[] = [];
  let index = 0;
  for (const lr of lrs) {
    for (const model of models) {
      for (let seed = 1; seed <= seeds; seed++) {
        const i = index++;
        const noise = ((i * 7919) % 97) / 97 - 0.5;
        const acc = Math.min(0.99, 0.7 + 0.25 * (1 - Math.abs(Math.log10(lr) + 1.5) / 1.5) + (model === 'cnn' ? 0.03 : 0) + noise * 0.02);
        const status = i % 17 === 5 ? 'failed' : i % 23 === 11 ? 'not_run' : 'success';
        const all: Record<string, number> = { accuracy: acc, loss: 1 - acc + 0.05, f1: acc - 0.02, val_loss: 1.1 - acc, throughput: 1000 + 50 * noise };
        const results: Record<string, number> = {};
        if (status === 'success') for (const m of metricNames) results[m] = Number(all[m]!.toFixed(4));
        rows.push({
          index: i,
          name: `lr=${lr},model=${model},seed=${seed}`,
          status,
          attempts: status === 'not_run' ? 0 : 1,
          durationSec: status === 'not_run' ? undefined : 10 + (i % 5),
          startSec: status === 'not_run' ? undefined : 0.5,
          params: { lr, model, seed, epochs: 10 },
          results,
          tags: i % 2 ? ['baseline'] : ['baseline', 'long run'],
          artifacts: status === 'success' ? [`result_${i}/curve.png`, `result_${i}/weights.txt`] : [],
          outputs:
            status === 'not_run'
              ? undefined
              : [
                  [2, 'print(config)', { stdout: `lr ${lr} model ${model} seed ${seed}\n` }],
                  [3, 'train()', status === 'failed' ? { error: 'RuntimeError: diverged' } : { stdout: `epoch 1\nepoch 2\naccuracy ${results.accuracy}\n`, 'text/plain': `${results.loss}` }],
                ],
          ...(status !== 'not_run' ? { htmlHref: `result_${i}/train.html`, notebookHref: `result_${i}/train.ipynb` } : {}),
          ...(status === 'failed' ? { error: 'RuntimeError: diverged (cell 3)' } : {}),
        });
      }
    }
  }
  return { title: 'train · lr × model × seed', notebook: 'notebooks/train.ipynb', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:41:07.000Z', rows };
}

// The libraries the index page embeds, read once from node_modules: ECharts (charts) and
// jsdiff (the compare panel's diffs; the same library `check` diffs with).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let cached: { echarts: string; diff: string } | undefined;

export function vendorScripts(): { echarts: string; diff: string } {
  cached ??= {
    echarts: readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8'),
    diff: readFileSync(join(dirname(require.resolve('diff/package.json')), 'dist', 'diff.min.js'), 'utf8'),
  };
  return cached;
}

// Which configs of a plan to run. Indices come from the plan, so they are stable.
import { ConfigSelectionError } from './errors.js';
import type { ConfigPlan, SelectOptions } from './types.js';

/** mulberry32: a small seeded PRNG, the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seedTo32(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedTo32(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
}

/** `n` of `items`, chosen with a forward Fisher-Yates shuffle: the first k draws fix the
 *  first k picks, so a larger n yields a superset. Returned in the order drawn. */
export function sampleOf<T>(items: readonly T[], n: number, seed: number): T[] {
  const a = items.slice();
  const rand = seededRandom(seed);
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

function describeIndices(indices: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    ranges.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return ranges.length > 6 ? `${ranges.slice(0, 3).join(', ')}, …, ${ranges.at(-1)}` : ranges.join(', ');
}

function checkInt(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) {
    throw new ConfigSelectionError(`${name} must be an integer >= ${min}, got ${v}`);
  }
}

/** The indices to run, ascending. `index` picks one config; otherwise `sample` picks a
 *  seeded random subset of the plan, then `startFromIndex` drops lower indices. */
export function selectIndices(plan: ConfigPlan, opts: SelectOptions = {}): number[] {
  checkInt('--index', opts.index, 0);
  checkInt('--start_from_index', opts.startFromIndex, 0);
  checkInt('--sample', opts.sample, 1);
  if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) {
    throw new ConfigSelectionError(`--seed must be an integer, got ${opts.seed}`);
  }
  const all = plan.configs.map((c) => c.index);
  const where = plan.title ? ` of title ${plan.title}` : '';
  if (opts.index !== undefined) {
    if (opts.startFromIndex !== undefined || opts.sample !== undefined) {
      throw new ConfigSelectionError('--index cannot be combined with --start_from_index or --sample');
    }
    if (!all.includes(opts.index)) {
      throw new ConfigSelectionError(`--index ${opts.index} is not a config${where}: the indices are ${describeIndices(all)}`);
    }
    return [opts.index];
  }
  let chosen = all;
  if (opts.sample !== undefined) chosen = sampleOf(all, opts.sample, opts.seed ?? 0).sort((a, b) => a - b);
  if (opts.startFromIndex !== undefined) {
    const from = opts.startFromIndex;
    const rest = chosen.filter((i) => i >= from);
    if (rest.length === 0) {
      throw new ConfigSelectionError(
        `--start_from_index ${from} leaves no config to run: the ${opts.sample !== undefined ? 'sampled ' : ''}indices${where} are ${describeIndices(chosen)}`,
      );
    }
    chosen = rest;
  }
  return chosen;
}

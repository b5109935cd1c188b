import type { BuilderKind } from './types.js';

const SWEEP_SUFFIXES = ['.yaml', '.yml', '.json'];

/** A builder is a sweep file when it ends in .yaml/.yml/.json and holds no '(' (the
 *  kernel-side helper uses the same rule); empty means no builder; else a Python expression. */
export function builderKind(builder: string | undefined | null): BuilderKind {
  const b = (builder ?? '').trim();
  if (!b) return 'none';
  if (!b.includes('(') && SWEEP_SUFFIXES.some((s) => b.toLowerCase().endsWith(s))) return 'sweep-file';
  return 'python';
}

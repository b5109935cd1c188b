// Cell ids as nbformat 4.5 defines them: 1-64 characters of [a-zA-Z0-9-_], unique in the
// notebook. New ids are 8 random hex digits, the form Python nbformat generates.

import { randomBytes } from 'node:crypto';
import type { Notebook } from './types.js';

const VALID_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export function isValidCellId(id: unknown): id is string {
  return typeof id === 'string' && VALID_ID.test(id);
}

export function randomCellId(): string {
  return randomBytes(4).toString('hex');
}

/** A fresh id not in `taken` (which it then joins). */
export function uniqueCellId(taken: Set<string>, make: () => string = randomCellId): string {
  for (;;) {
    const id = make();
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** A new id unique within `nb`. */
export function newCellId(nb: Notebook): string {
  return uniqueCellId(new Set(nb.cells.map((c) => c.id).filter((id): id is string => typeof id === 'string')));
}

/**
 * Give every cell a valid, unique id, keeping the valid ids it already has (the first
 * cell keeps a duplicated id, later ones get new ids). Sets nbformat_minor to at least 5.
 */
export function ensureCellIds(nb: Notebook, make: () => string = randomCellId): void {
  const taken = new Set<string>();
  const needsId: number[] = [];
  nb.cells.forEach((cell, i) => {
    if (isValidCellId(cell.id) && !taken.has(cell.id)) taken.add(cell.id);
    else needsId.push(i);
  });
  for (const i of needsId) nb.cells[i]!.id = uniqueCellId(taken, make);
  if (nb.nbformat_minor < 5) nb.nbformat_minor = 5;
}

// Formatting shared by the run header and the sweep index.

import { escapeHtml } from './text.js';
import { valueText } from '../notebook/valueText.js';
import type { JSONValue } from '../notebook/types.js';

const KNOWN_STATUS = new Set(['success', 'failed', 'timeout', 'kernel_died', 'interrupted', 'cancelled', 'aborted', 'pending', 'running', 'skipped']);

export function statusClass(status: string): string {
  return KNOWN_STATUS.has(status) ? `rn-status-${status}` : 'rn-status-other';
}

export function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

export function statusPill(status: string): string {
  return `<span class="rn-status ${statusClass(status)}">${escapeHtml(statusLabel(status))}</span>`;
}

/** 0.42 s · 12.3 s · 4 min 05 s · 2 h 03 min */
export function formatDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec) || sec < 0) return '';
  if (sec < 59.95) return `${sec.toFixed(sec < 1 ? 2 : 1)} s`;
  const s = Math.round(sec);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A compact one-line form of a parameter or result value. */
export function formatValue(v: unknown, max = 80): string {
  const s = typeof v === 'number' ? formatNumber(v) : valueText(v as JSONValue | undefined);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(6)));
}

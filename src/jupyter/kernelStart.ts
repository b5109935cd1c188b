// POST /api/kernels, with the answer told apart by what the pool should do about it.
// @jupyterlab/services' own startNew keeps only `message` from an error body, but
// gateways put the explanation in `reason` (EG: "User 'root' is not authorized to start
// kernel ... Ensure KERNEL_USERNAME is set"), so the request is made here.
import type { KernelAPI, ServerConnection } from '@jupyterlab/services';
import { STATUS_CODES } from 'node:http';
import { JupyterError } from '../errors.js';

/**
 * What a failed start means for the server it was sent to:
 *   unusable  this server will never start this kernel for us (401/403 not authorized, no such kernel): retire it now
 *   capacity  the server is full (403 "Resource Limit", max kernels): back-pressure, try later
 *   server    the server is in trouble (refused/reset, 5xx, timeout, lost): requeue the run elsewhere
 *   request   something about this run (400): a run failure
 */
export type StartProblem = 'unusable' | 'capacity' | 'server' | 'request';

export class KernelStartError extends JupyterError {
  /** The pool's name for the server it happened on. */
  serverName?: string;

  constructor(
    message: string,
    readonly problem: StartProblem,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

export interface ErrorBody {
  reason?: string;
  message?: string;
}

/** The one-line explanation of an error answer: `reason` and `message` both, without repeating. */
export function describeErrorBody(status: number, body: ErrorBody | undefined, statusText = ''): string {
  const parts: string[] = [];
  const stock = STATUS_CODES[status];
  for (const p of [body?.message, body?.reason, statusText]) {
    const line = (p ?? '').split('\n')[0]!.trim();
    // "Forbidden", "Bad Request": tornado's stock reason adds nothing to the status.
    if (line && !parts.includes(line) && line !== stock) parts.push(line);
  }
  return `HTTP ${status}${parts.length ? ': ' + parts.join(' — ') : stock ? ' ' + stock : ''}`;
}

export function classifyStartAnswer(status: number, text: string): StartProblem {
  if (status === 403 && /resource limit|max kernels/i.test(text)) return 'capacity';
  if (status === 401 || status === 403 || status === 404) return 'unusable';
  if (status >= 500 || status === 429 || status === 408) return 'server';
  return 'request';
}

/** What to do about it, named in the message where the fix is known. */
function hint(status: number, text: string): string {
  if ((status === 403 || status === 401) && /KERNEL_USERNAME/.test(text)) {
    return ' (fix: set KERNEL_USERNAME to an allowed user, in the server\'s `env` in --servers or in the runner\'s environment)';
  }
  if (status === 401 || (status === 403 && !/not authorized|authorized users/i.test(text))) return ' (check the token: --token, ?token= in the URL, or token_env/token_file)';
  return '';
}

export async function postKernel(settings: ServerConnection.ISettings, label: string, body: Record<string, unknown>): Promise<KernelAPI.IModel> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (settings.token) headers.Authorization = `token ${settings.token}`;
  const name = String(body.name ?? 'default');
  let res: Response;
  try {
    res = await fetch(settings.baseUrl + 'api/kernels', { method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store' });
  } catch (err) {
    const e = err as { cause?: { code?: string; message?: string }; message?: string };
    const why = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
    throw new KernelStartError(`cannot start kernel "${name}" on ${label}: ${why}`, 'server', undefined, err);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 201 || res.status === 200) {
    try {
      const model = JSON.parse(text) as KernelAPI.IModel;
      if (typeof model.id === 'string') return model;
    } catch {
      /* below */
    }
    throw new KernelStartError(`cannot start kernel "${name}" on ${label}: the answer was not a kernel model`, 'server', res.status);
  }
  let parsed: ErrorBody | undefined;
  try {
    parsed = JSON.parse(text) as ErrorBody;
  } catch {
    parsed = undefined;
  }
  const line = describeErrorBody(res.status, parsed, res.statusText);
  throw new KernelStartError(`cannot start kernel "${name}" on ${label}: ${line}${hint(res.status, line)}`, classifyStartAnswer(res.status, line), res.status);
}

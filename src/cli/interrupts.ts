// Ctrl-C and process exit for the commands that run kernels. The command builds the
// server pool; this module owns the signal handlers and the only process.exit outside main.
import type { ServerPool } from '../jupyter/index.js';
import { createServerPool, type EngineOptions } from '../sweep/index.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * First SIGINT/SIGTERM/SIGHUP: `signal` aborts; the sweeps stop starting runs, interrupt
 * running kernels, save partial notebooks, write their summaries and exit 130. Second:
 * kill every kernel and embedded server the pool started, and exit 130 at once. On any
 * exit while installed (a crash), the pool's processes are killed as a last resort.
 */
export function handleInterrupts(pool: ServerPool): { signal: AbortSignal; dispose(): void } {
  const interrupt = new AbortController();
  const killAll = () => pool.killAllSync();
  const onSignal = () => {
    if (!interrupt.signal.aborted) {
      process.stderr.write('\nstopping: interrupting running notebooks (press Ctrl-C again to quit at once)\n');
      interrupt.abort('interrupted');
      return;
    }
    killAll();
    process.exit(130);
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  process.on('exit', killAll);
  return {
    signal: interrupt.signal,
    dispose() {
      for (const sig of SIGNALS) process.off(sig, onSignal);
      process.off('exit', killAll);
    },
  };
}

/** Runs fn with a server pool built from the flags (opened on first use) and Ctrl-C handling; stops the pool after. */
export async function withServerPool<T>(engine: EngineOptions, fn: (pool: ServerPool, signal: AbortSignal) => Promise<T>): Promise<T> {
  const pool = createServerPool(engine);
  const interrupts = handleInterrupts(pool);
  try {
    return await fn(pool, interrupts.signal);
  } finally {
    await pool.stopAll();
    // Only now: a Ctrl-C while kernels and the server shut down must still be ours.
    interrupts.dispose();
  }
}

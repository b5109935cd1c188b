// Kernels started ahead of the runs that will use them. A kernel spends most of its
// start in the server's waits (process launch, ZMQ connect, the kernel_info "nudge"
// loop) rather than on the CPU, so starting the next runs' kernels while the current
// runs execute keeps both cores busy. Runs are taken in queue order; at most `depth`
// kernels wait ahead at any time, and each is only ever used by the run it was made for
// (its environment names that run).
import type { KernelSession } from './kernelSession.js';

export class KernelPrefetch<K> {
  private readonly position = new Map<K, number>();
  private readonly ahead = new Map<K, Promise<KernelSession>>();
  /** Queue position of the first run not yet started and not prefetched. */
  private next = 0;
  private closed = false;

  constructor(
    private readonly queue: readonly K[],
    private readonly depth: number,
    private readonly start: (key: K) => Promise<KernelSession>,
  ) {
    queue.forEach((k, i) => this.position.set(k, i));
  }

  /**
   * Called when the run for `key` begins: returns the kernel started ahead for it (which
   * may reject like any start), or undefined, and starts kernels for the runs after it.
   */
  take(key: K): Promise<KernelSession> | undefined {
    const p = this.ahead.get(key);
    this.ahead.delete(key);
    const pos = this.position.get(key);
    if (pos !== undefined) this.next = Math.max(this.next, pos + 1);
    this.fill();
    return p;
  }

  private fill(): void {
    while (!this.closed && this.ahead.size < this.depth && this.next < this.queue.length) {
      const key = this.queue[this.next++]!;
      const p = this.start(key);
      p.catch(() => undefined); // the run that takes it sees the error
      this.ahead.set(key, p);
    }
  }

  /** Stops prefetching and shuts down every kernel no run took. */
  async close(): Promise<void> {
    this.closed = true;
    const left = [...this.ahead.values()];
    this.ahead.clear();
    await Promise.all(left.map((p) => p.then((s) => s.shutdown(), () => undefined)));
  }
}

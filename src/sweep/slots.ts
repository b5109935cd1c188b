// Worker slots, each with its share of --resources as CUDA_VISIBLE_DEVICES. A run takes
// the lowest free slot and gives it back once no kernel works for it.

export interface Slot {
  id: number;
  env: Record<string, string>;
}

export class SlotPool {
  private free: Slot[];

  constructor(threads: number, resources?: string[][]) {
    this.free = Array.from({ length: threads }, (_, id) => ({
      id,
      env: (resources?.length ? { CUDA_VISIBLE_DEVICES: resources[id % resources.length]!.join(',') } : {}) as Record<string, string>,
    }));
  }

  take(): Slot {
    const s = this.free.shift();
    if (!s) throw new Error('more runs than slots: the parallel limit was not respected');
    return s;
  }

  give(s: Slot): void {
    this.free.push(s);
    this.free.sort((a, b) => a.id - b.id);
  }
}

// Row c, the floor: the least any client of one embedded server must spend on N runs.
// Each "run" starts a kernel, waits for its first kernel_info reply (the moment a cell
// could be sent) and shuts it down, two at a time, straight through @jupyterlab/services
// with none of the runner. The clock covers server start to server stop, as row a's does.
import { KernelAPI, KernelConnection, type ServerConnection } from '@jupyterlab/services';
import pLimit from 'p-limit';
import { startEmbeddedServer } from '../src/jupyter/index.js';

export interface FloorResult {
  /** Server start, N kernel cycles, server stop. */
  seconds: number;
  /** The N kernel cycles alone. */
  kernelSeconds: number;
  kernels: number;
  concurrency: number;
}

export async function benchFloor(kernels: number, concurrency: number): Promise<FloorResult> {
  const t0 = performance.now();
  const server = await startEmbeddedServer();
  const settings = server.settings;
  let t1 = 0;
  let t2 = 0;
  try {
    t1 = performance.now();
    await cycleKernels(settings, 'python3', kernels, concurrency);
    t2 = performance.now();
  } finally {
    await server.stop();
  }
  return { seconds: (performance.now() - t0) / 1000, kernelSeconds: (t2 - t1) / 1000, kernels, concurrency };
}

/** N kernel cycles, `concurrency` at a time: start, first kernel_info reply, shut down (rows c and h's warm floor). */
export async function cycleKernels(settings: ServerConnection.ISettings, name: string, kernels: number, concurrency: number): Promise<void> {
  const once = async () => {
    const model = await KernelAPI.startNew({ name }, settings);
    const kernel = new KernelConnection({ model, serverSettings: settings, handleComms: false });
    try {
      await kernel.info;
    } finally {
      kernel.dispose();
      await KernelAPI.shutdownKernel(model.id, settings);
    }
  };
  const limit = pLimit(concurrency);
  await Promise.all(Array.from({ length: kernels }, () => limit(once)));
}

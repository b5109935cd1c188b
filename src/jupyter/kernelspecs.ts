// Kernel choice: --kernel, else the notebook's kernelspec name, else the server default.
// One GET /api/kernelspecs per server, cached for the whole sweep.
import { KernelSpecAPI } from '@jupyterlab/services';
import { UsageError, JupyterError } from '../errors.js';
import type { JupyterServer } from './server.js';

export type KernelSpec = KernelSpecAPI.ISpecModel;

const cache = new WeakMap<JupyterServer, Promise<KernelSpecAPI.ISpecModels>>();

export function listKernelSpecs(server: JupyterServer): Promise<KernelSpecAPI.ISpecModels> {
  let p = cache.get(server);
  if (!p) {
    p = KernelSpecAPI.getSpecs(server.settings).catch((err: unknown) => {
      cache.delete(server);
      throw new JupyterError(`cannot list kernels on ${server.label}: ${(err as Error).message}`, { cause: err });
    });
    cache.set(server, p);
  }
  return p;
}

export async function resolveKernelSpec(server: JupyterServer, wanted: string | undefined): Promise<KernelSpec> {
  const specs = await listKernelSpecs(server);
  const name = wanted || specs.default;
  const spec = specs.kernelspecs[name];
  if (spec) return spec;
  const known = Object.keys(specs.kernelspecs).sort().join(', ') || 'none';
  throw new UsageError(`no kernel named "${name}" on ${server.label}; available kernels: ${known}`);
}

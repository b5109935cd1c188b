// The last resort for exit paths where nothing can be awaited (a second Ctrl-C, a crash):
// kill every kernel the runner started by pid, and every embedded server by process group.
import { killOwnedServersSync } from './embedded.js';
import { killAllKernelsSync } from './kernelSession.js';

export function killEverythingSync(): void {
  killAllKernelsSync();
  killOwnedServersSync();
}

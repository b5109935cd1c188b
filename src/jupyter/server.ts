// What the rest of the runner knows about a Jupyter server: where it is, how to
// talk to it, and whether the runner owns its machine (so it may write kernelspecs
// and kill kernel processes by pid).
import type { ServerConnection } from '@jupyterlab/services';
import type { ServerHealth } from './health.js';
import type { ServerKind } from './gateway.js';

export interface JupyterServer {
  /** Display name for logs: the URL without any token. */
  readonly label: string;
  readonly settings: ServerConnection.ISettings;
  /** Set for the embedded server: a folder on JUPYTER_PATH where per-run kernelspecs go. */
  readonly kernelspecDir?: string;
  /** A gateway accepts `env` in the kernel start request. */
  readonly isGateway: boolean;
  /** jupyter_server, Kernel Gateway or Enterprise Gateway (undefined: a plain server). */
  readonly kind?: ServerKind;
  /** The name it has in --servers (else its label). */
  readonly name?: string;
  /** Gateways: extra `env` for every kernel started there (KERNEL_IMAGE, KERNEL_USERNAME...). */
  readonly env?: Record<string, string>;
  /** From the servers file: how files a run writes there come back (sweep/remoteResults.ts); undefined = --artifacts. */
  readonly artifacts?: 'copy' | 'kernel' | 'none';
  /** The embedded server's Python: jupyter_client starts a kernelspec's bare `python` with it. */
  readonly python?: string;
  /** The server's own version string, for the sweep manifest. */
  readonly version: string;
  /** Lost-server detection: probe, grace period, process exit. */
  readonly health: ServerHealth;
  /** Ids of kernels the runner started here and has not seen shut down (checked at the end of a sweep). */
  readonly ownKernels: Set<string>;
  /** Stops the server if the runner owns it; a no-op for remote servers. */
  stop(): Promise<void>;
}

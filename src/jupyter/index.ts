export type { JupyterServer } from './server.js';
export { startEmbeddedServer, findJupyterServerCommand, killOwnedServersSync, type EmbeddedServerOptions } from './embedded.js';
export { connectRemoteServer, resolveRemoteSettings, type RemoteServerOptions } from './remote.js';
export { ServerPool } from './pool.js';
export { KernelSession, KernelLostError, kernelCwd, killAllKernelsSync, settleShutdowns, type StartKernelOptions } from './kernelSession.js';
export { listKernelSpecs, resolveKernelSpec, type KernelSpec } from './kernelspecs.js';
export { redactUrl } from './settings.js';
export { KernelPrefetch } from './prefetch.js';
export { killEverythingSync } from './exitPaths.js';

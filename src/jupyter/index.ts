export type { JupyterServer } from './server.js';
export { startEmbeddedServer, findJupyterServerCommand, type EmbeddedServerOptions } from './embedded.js';
export { connectRemoteServer, resolveRemoteSettings, type RemoteServerOptions } from './remote.js';
export { ServerPool, type ServerOpener, type ServerPoolOptions } from './pool.js';
export { OwnedProcesses } from './processes.js';
export {
  BackgroundShutdowns,
  KernelSession,
  KernelLostError,
  kernelCwd,
  type ExecuteReply,
  type ExecuteRequest,
  type IOPubListener,
  type IOPubMessage,
  type StartKernelOptions,
} from './kernelSession.js';
export { listKernelSpecs, resolveKernelSpec, type KernelSpec } from './kernelspecs.js';
export { redactUrl } from './settings.js';
export { KernelPrefetch } from './prefetch.js';
export { resolveInterpreter, chooseKernelInterpreter, describeKernelInterpreter, followsServerInterpreter, type Interpreter, type InterpreterSource } from './interpreter.js';
export { ServerHealth, ServerLostError, DEFAULT_SERVER_GRACE_SEC } from './health.js';
export { startWarm, WarmTemplate, WarmPrefixFailed, type PrefixResult, type WarmOptions } from './warm/index.js';
export { ServerScheduler, NoUsableServerError, type ServerEntry } from './scheduler.js';
export { openRemoteServers } from './remotePool.js';
export { loadServersFile, specsFromUrls, DEFAULT_TIMING, type ServerSpec, type PoolTiming } from './serversFile.js';
export { KernelStartError, type StartProblem } from './kernelStart.js';
export type { RemoteFile, RemoteFolder, RemoteListing } from './remoteFiles.js';
export { contentsFolder, contentsServes } from './contentsFiles.js';
export { callScratch, defineScratchModule, kernelFolder, KERNEL_CHUNK_BYTES } from './kernelFiles.js';

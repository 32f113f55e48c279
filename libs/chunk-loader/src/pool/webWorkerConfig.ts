import type { WorkerConfig } from './workerProtocol.js';

/**
 * Pool → Web Worker, the first message: what `workerData` carries for a `worker_threads` worker
 * (Web Workers have no start-up data). Everything after it is the shared worker protocol.
 */
export interface ConfigureWebWorker {
  readonly type: 'configure';
  readonly config: WorkerConfig;
}

/** The first message a pool posts to a new decode Web Worker. */
export function configureWebWorker(config: WorkerConfig): ConfigureWebWorker {
  return { type: 'configure', config };
}

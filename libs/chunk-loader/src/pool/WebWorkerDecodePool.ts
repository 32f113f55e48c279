import type { Logger } from '../ports/Logger.js';
import type { DecoderFactory, DecoderOptions } from '../ports/StemDecoder.js';
import { ThreadDecodePool, type DecodeThread, type DecodeThreadEvents, type SpawnDecodeThread } from './ThreadDecodePool.js';
import { configureWebWorker } from './webWorkerConfig.js';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol.js';

/** The parts of the browser's `Worker` used here (this lib is typed without the DOM library). */
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
  addEventListener(type: 'messageerror', listener: () => void): void;
}
type WebWorkerConstructor = new (url: string | URL, options: { type: 'module'; name: string }) => WebWorker;

export interface WebWorkerDecodePoolOptions {
  /**
   * The decode worker: a module script that runs `webDecodeWorker.ts` bundled for the browser
   * (a Worker cannot use import maps; the WebAssembly decoders inline their wasm). Same origin,
   * or served with CORS; with COEP `require-corp`, also with `Cross-Origin-Resource-Policy`.
   */
  readonly script: string | URL;
  /** Web Workers (default {@link defaultWebWorkerCount}). */
  readonly workers?: number;
  /** Tasks handed to one worker at once (default 2; see `WorkerDecodePoolOptions`). */
  readonly tasksPerWorker?: number;
  readonly decoderOptions: DecoderOptions;
  /** Opens a decoder on the page to throw its own error when no worker can open a stem (optional). */
  readonly probeFactory?: DecoderFactory;
  readonly logger?: Logger;
}

/** One worker per core but one (the page's thread keeps one), at least one: `navigator.hardwareConcurrency − 1`. */
export function defaultWebWorkerCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, cores - 1);
}

/**
 * A `DecodePool` of Web Workers for a browser page (the desktop renderer): the WebAssembly FLAC
 * decoder and libsamplerate run in module Workers, each keeping its stems' decoders open, and
 * PCM comes back in transfer lists (moved, not copied). The same semantics as the
 * `worker_threads` pool: a worker that fails (an `error` event: an uncaught exception, or its
 * script failing to load) is terminated and replaced at once, its tasks reject with
 * `WorkerCrashedError` (the loader retries each once); three workers in a row that die before
 * they are ready make every task fail; running tasks are not interrupted; `stop()` rejects all
 * and terminates the workers. Called on the page's thread.
 *
 * @example
 * ```ts
 * const pool = await WebWorkerDecodePool.start({ script: '/decode-worker.js', decoderOptions: { chunkSeconds: 5 } });
 * const header = await pool.probe({ song: 's1', stem: 'bass', path: 'https://band.example/s1/bass.flac' });
 * ```
 */
export class WebWorkerDecodePool extends ThreadDecodePool {
  /** Start the workers and wait until each has loaded its code and created its decoder. */
  static start(options: WebWorkerDecodePoolOptions): Promise<WebWorkerDecodePool> {
    const pool = new WebWorkerDecodePool(
      {
        workers: options.workers ?? defaultWebWorkerCount(),
        decoderOptions: options.decoderOptions,
        ...(options.tasksPerWorker === undefined ? {} : { tasksPerWorker: options.tasksPerWorker }),
        ...(options.probeFactory ? { probeFactory: options.probeFactory } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      },
      spawnWebWorker(options.script),
    );
    return pool.whenReady();
  }
}

function spawnWebWorker(script: string | URL): SpawnDecodeThread {
  const WorkerClass = (globalThis as { Worker?: WebWorkerConstructor }).Worker;
  if (!WorkerClass) throw new Error('WebWorkerDecodePool needs Web Workers (a browser page); in Node use WorkerDecodePool');
  return (config: WorkerConfig, events: DecodeThreadEvents): DecodeThread => {
    const worker = new WorkerClass(script, { type: 'module', name: `trax-decode-${config.workerId}` });
    worker.addEventListener('message', (event) => events.message(event.data as FromWorker));
    worker.addEventListener('error', (event) => {
      event.preventDefault(); // reported through the pool, not as an uncaught page error
      events.died(event.message ? `uncaught error: ${event.message}` : 'its script failed to load or run');
    });
    worker.addEventListener('messageerror', () => events.died('a message from it could not be deserialised'));
    worker.postMessage(configureWebWorker(config));
    return {
      post: (message: ToWorker) => worker.postMessage(message),
      terminate: async () => worker.terminate(),
    };
  };
}

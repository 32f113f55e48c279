import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../ports/Logger.js';
import type { DecoderFactory, DecoderOptions } from '../ports/StemDecoder.js';
import { ThreadDecodePool, type SpawnDecodeThread } from './ThreadDecodePool.js';
import type { FromWorker } from './workerProtocol.js';
import { decodeWorkerScript } from './workerScript.js';
import type { WorkerScript } from './workerScript.js';

export interface WorkerDecodePoolOptions {
  /** Worker threads (default {@link defaultWorkerCount}). */
  readonly workers?: number;
  /**
   * Tasks handed to one worker at once (default 2): the next task waits inside the worker, so it
   * starts the moment the previous one ends instead of a message round trip later (matters for
   * first audio: 30 decodes of ~1 ms each). The price: work already handed over cannot be
   * overtaken, so an urgent request may wait behind one more work item per worker — unless the
   * loader's urgent helper takes it.
   */
  readonly tasksPerWorker?: number;
  readonly decoderOptions: DecoderOptions;
  /**
   * Opens a decoder on the calling thread. Used only when no worker could open a stem, to throw
   * the decoder's own typed error (e.g. `FlacFormatError`), which cannot cross threads as such.
   */
  readonly probeFactory: DecoderFactory;
  readonly logger?: Logger;
  /** The worker entry (default: the loader's decode worker); tests pass instrumented ones. */
  readonly script?: WorkerScript;
}

/**
 * One worker per core but one, so the loader's thread (engine, cache reads and writes) keeps a
 * core; at least one. On the 2-core reference machine: 1 worker.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * A {@link DecodePool} of Node `worker_threads`. Each worker keeps its stems' decoders and file
 * handles open between tasks; PCM comes back in transfer lists. A worker that dies is replaced at
 * once and its tasks reject with `WorkerCrashedError` (the loader retries each once). The
 * bookkeeping is {@link ThreadDecodePool}'s, shared with `WebWorkerDecodePool`.
 * Called on the loader's thread.
 *
 * @example
 * ```ts
 * const pool = await WorkerDecodePool.start({ workers: 2, decoderOptions: { chunkSeconds: 5 }, probeFactory });
 * const pcm = await pool.decode({ stem, chunkIndex: 0, startFrame: 0, frameCount: 240_000, wholeChunk: true });
 * await pool.stop();
 * ```
 */
export class WorkerDecodePool extends ThreadDecodePool {
  /** Start the workers and wait until each has loaded its modules. */
  static start(options: WorkerDecodePoolOptions): Promise<WorkerDecodePool> {
    const pool = new WorkerDecodePool(
      {
        workers: options.workers ?? defaultWorkerCount(),
        decoderOptions: options.decoderOptions,
        probeFactory: options.probeFactory,
        ...(options.tasksPerWorker === undefined ? {} : { tasksPerWorker: options.tasksPerWorker }),
        ...(options.logger ? { logger: options.logger } : {}),
      },
      spawnWorkerThread(options.script ?? decodeWorkerScript()),
    );
    return pool.whenReady();
  }
}

/** Worker threads: a death is the `exit` event (after an `error` event, if one explains it). */
function spawnWorkerThread(script: WorkerScript): SpawnDecodeThread {
  return (config, events) => {
    const worker = new Worker(script.url, { workerData: config, ...(script.execArgv ? { execArgv: script.execArgv } : {}) });
    let lastError: Error | undefined;
    let terminating = false;
    worker.on('message', (message: FromWorker) => events.message(message));
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      if (!terminating) events.died(lastError ? `${lastError.name}: ${lastError.message}` : `exited with code ${code}`);
    });
    return {
      post: (message) => worker.postMessage(message),
      terminate: async () => {
        terminating = true;
        await worker.terminate();
      },
    };
  };
}

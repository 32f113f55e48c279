import type { ChunkLoaderOptions } from '../ChunkLoaderOptions.js';
import type { DecodePool } from '../ports/DecodePool.js';
import type { DecoderOptions } from '../ports/StemDecoder.js';
import { chunkDecoderFactory } from './chunkDecoderFactory.js';
import { warmUpChunkDecoding } from './warmUpChunkDecoding.js';
import { InlineDecodePool } from './InlineDecodePool.js';
import { defaultWorkerCount, WorkerDecodePool } from './WorkerDecodePool.js';

/** The pools a loader decodes with: the main one, and optionally one for urgent work only. */
export interface DecodePools {
  readonly pool: DecodePool;
  readonly urgentHelper: DecodePool | undefined;
}

/**
 * The pools `ChunkLoader.start` options ask for, started and warmed up: the given `pool`, else an
 * inline pool (`workers: 0`), else worker threads plus, unless `urgentOnCallingThread` is false,
 * an inline helper for urgent work. Decoding on this thread creates its WebAssembly decoder now.
 */
export async function createDecodePools(options: ChunkLoaderOptions): Promise<DecodePools> {
  if (options.pool) return { pool: options.pool, urgentHelper: options.urgentHelper };
  const decoderOptions: DecoderOptions = {
    ...(options.chunkSeconds === undefined ? {} : { chunkSeconds: options.chunkSeconds }),
    ...(options.outputSampleRate === undefined ? {} : { outputSampleRate: options.outputSampleRate }),
    ...(options.resampleQuality === undefined ? {} : { resampleQuality: options.resampleQuality }),
  };
  const factory = options.decoderFactory ?? chunkDecoderFactory;
  const workers = options.workers ?? defaultWorkerCount();
  const helps = workers > 0 && options.urgentOnCallingThread !== false;
  if ((workers === 0 || helps) && !options.decoderFactory) await warmUpChunkDecoding();
  if (workers === 0) return { pool: new InlineDecodePool(factory, decoderOptions), urgentHelper: options.urgentHelper };
  const pool = await WorkerDecodePool.start({
    workers,
    decoderOptions,
    probeFactory: factory,
    ...(options.tasksPerWorker === undefined ? {} : { tasksPerWorker: options.tasksPerWorker }),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.workerScript ? { script: options.workerScript } : {}),
  });
  return { pool, urgentHelper: options.urgentHelper ?? (helps ? new InlineDecodePool(factory, decoderOptions) : undefined) };
}

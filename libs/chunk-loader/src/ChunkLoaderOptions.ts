import type { WorkerScript } from './pool/workerScript.js';
import type { ChunkStore } from './ports/ChunkStore.js';
import type { DecodePool } from './ports/DecodePool.js';
import type { Logger } from './ports/Logger.js';
import type { DecoderFactory } from './ports/StemDecoder.js';
import type { RetryPolicy } from './retry/RetryPolicy.js';

/** First 12 chunks of 5 s = the first 60 s of every stem (the plan's CACHE_CHUNK_COUNT). */
export const DEFAULT_CACHE_CHUNKS = 12;
/** 64 MiB ≈ 33 chunks of 5 s stereo at 48 kHz (1.92 MB each as float32). */
export const DEFAULT_WRITE_BACK_BUDGET = 64 * 1024 * 1024;

/** Settings of a loader whose decode pool is already made (see `ChunkLoader.start` for the rest). */
export interface ChunkLoaderCoreOptions {
  /** Where decoded chunks are cached; none = always decode. */
  readonly cache?: ChunkStore;
  /**
   * A second pool that takes urgent work only, when every slot of the main pool is busy — e.g. an
   * inline pool, so the calling thread helps with first audio and seeks. The loader stops it.
   */
  readonly urgentHelper?: DecodePool;
  /** Whole chunks below this index are read from and written back to `cache` (default 12 = 60 s of 5 s chunks). */
  readonly cacheChunks?: number;
  readonly logger?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** Store operations run at once on the loader's thread (default 2: one read can wait on the disk while another decodes its FLAC). */
  readonly storeConcurrency?: number;
  /**
   * PCM kept in memory for write-backs waiting their turn (default 64 MiB ≈ 33 chunks of 5 s stereo
   * at 48 kHz, 1.92 MB each). Beyond it a write-back decodes the chunk again when its turn comes
   * (≈ 15 ms at idle priority) instead of holding memory.
   */
  readonly writeBackBudgetBytes?: number;
}

/** Everything `ChunkLoader.start` accepts. */
export interface ChunkLoaderOptions extends ChunkLoaderCoreOptions {
  /** Decode worker threads: default `max(1, cores - 1)`; 0 = decode on the calling thread. */
  readonly workers?: number;
  /** A ready-made pool (e.g. Web Workers in the desktop renderer); `workers` is then ignored. The loader stops it. */
  readonly pool?: DecodePool;
  /** Opens decoders for the inline pool (and for error reports); default `@trax/chunk-decoder`. */
  readonly decoderFactory?: DecoderFactory;
  /** Seconds per chunk (default 5). */
  readonly chunkSeconds?: number;
  /** Resample every stem to this rate (default: each file's own). */
  readonly outputSampleRate?: number;
  readonly resampleQuality?: 'fastest' | 'medium' | 'best';
  /** Work items handed to each worker at once (default 2; see `WorkerDecodePoolOptions`). */
  readonly tasksPerWorker?: number;
  /** The worker entry (default: the loader's own decode worker). */
  readonly workerScript?: WorkerScript;
  /**
   * With worker threads, also decode urgent work on the calling thread when every worker is busy
   * (default true). On the 2-core reference machine (1 worker) this puts both cores on first audio:
   * the first 0.5 s of 30 stems is ~30 × 1–1.6 ms of decoding. Costs the calling thread at most one
   * work item (≤ one chunk, ~10–16 ms for 5 s) at a time, and only while urgent work waits.
   */
  readonly urgentOnCallingThread?: boolean;
}

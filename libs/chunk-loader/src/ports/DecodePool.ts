import type { Frames, Millis, StemInfo, StemSource } from '../types.js';
import type { PcmBlock } from './StemDecoder.js';

/** What the headers of a stem say (the part of `StemInfo` that comes from the file). */
export type StemHeader = Omit<StemInfo, keyof StemSource>;

/** One work item: at most one chunk of one stem. Plain data, so it can be posted to a worker. */
export interface DecodeTask {
  readonly stem: StemSource;
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  /** True when the span is exactly chunk `chunkIndex` (decoded with `decodeChunk`, cacheable). */
  readonly wholeChunk: boolean;
}

/** A decoded task: the PCM (transferred, now owned by the caller) and how long decoding took. */
export interface DecodeOutcome extends PcmBlock {
  /** Time spent decoding on the decoding thread, opening the decoder included. */
  readonly decodeMs: Millis;
}

/**
 * Port: where decoding runs. The loader never gives a pool more than `size` tasks at once and
 * chooses their order; the pool only runs them. Implementations: `InlineDecodePool` (the calling
 * thread), `WorkerDecodePool` (Node `worker_threads`); a Web Worker pool can be added for the
 * desktop renderer without touching the loader.
 *
 * Contract: a task that cannot be decoded rejects (the loader retries); a task lost with a crashed
 * worker rejects with `WorkerCrashedError` and the pool replaces the worker.
 */
export interface DecodePool {
  /** Tasks run at once. */
  readonly size: number;
  /** Read a stem's headers (no audio). */
  probe(stem: StemSource): Promise<StemHeader>;
  decode(task: DecodeTask): Promise<DecodeOutcome>;
  /** Close the decoders and file handles of every stem of `song`. */
  releaseSong(song: string): Promise<void>;
  /** Stop: running tasks reject, workers end, handles close. */
  stop(): Promise<void>;
}

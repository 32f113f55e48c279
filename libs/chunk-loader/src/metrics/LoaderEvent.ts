import type { ChunkLoadError } from '../errors.js';
import type { CancelFilter, Frames, Millis, Priority } from '../types.js';

/** Running totals since `start()`. */
export interface LoaderCounters {
  /** `request()` calls accepted. */
  readonly requests: number;
  /** Requests that joined an identical pending request instead of causing work. */
  readonly deduplicated: number;
  /** Requests served from the chunk store. */
  readonly hits: number;
  /** Store lookups that found nothing (the chunk was then decoded). */
  readonly misses: number;
  /** Decodes completed (requests and write-backs). */
  readonly decodes: number;
  /** Work tried again after a failure or a worker crash. */
  readonly retries: number;
  /** Requests withdrawn by `cancel`, `closeSong` or `stop`. */
  readonly cancellations: number;
  /** Requests rejected with `ChunkLoadError`. */
  readonly failures: number;
  readonly workerCrashes: number;
  /** Chunks written back to the store. */
  readonly writeBacks: number;
  readonly writeBackFailures: number;
}

/** All counters at zero. */
export function emptyCounters(): { -readonly [K in keyof LoaderCounters]: number } {
  return { requests: 0, deduplicated: 0, hits: 0, misses: 0, decodes: 0, retries: 0, cancellations: 0, failures: 0, workerCrashes: 0, writeBacks: 0, writeBackFailures: 0 };
}

interface EventBase {
  /** `performance.now()` when the event happened. */
  readonly at: Millis;
  /** Totals including this event. */
  readonly counters: LoaderCounters;
}

interface RequestFields {
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly priority: Priority;
}

/** One request delivered. */
export interface RequestCompletedEvent extends EventBase, RequestFields {
  readonly type: 'request.completed';
  readonly from: 'cache' | 'decode';
  /** Request → work started. */
  readonly queuedMs: Millis;
  /** Work started → delivered (cache read or decode, retries included). */
  readonly loadMs: Millis;
  /** Decoding alone, on the decoding thread; undefined for cache hits. */
  readonly decodeMs: Millis | undefined;
  /** Bytes of PCM delivered (4 per sample). */
  readonly bytes: number;
  /** Tries the work took. */
  readonly attempts: number;
  /** True when this request shared another request's work (dedup). */
  readonly shared: boolean;
}

/** Work failed and will be tried again after `delayMs`. */
export interface RequestRetryEvent extends EventBase, RequestFields {
  readonly type: 'request.retry';
  readonly attempt: number;
  readonly delayMs: Millis;
  readonly error: string;
}

/** Requests withdrawn at once by one `cancel`/`closeSong`/`stop`. */
export interface RequestsCancelledEvent extends EventBase {
  readonly type: 'request.cancelled';
  readonly filter: CancelFilter;
  readonly reason: 'cancelled' | 'song-closed' | 'stopped';
  readonly count: number;
}

/** Terminal: a chunk of the stem could not be loaded; its requests were rejected with `error`. */
export interface StemFailedEvent extends EventBase {
  readonly type: 'stem.failed';
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number;
  readonly error: ChunkLoadError;
}

export interface WorkerCrashedEvent extends EventBase {
  readonly type: 'worker.crashed';
  readonly workerId: number;
  readonly detail: string;
}

/** A decoded chunk written back to the store (idle priority), or a write that failed. */
export interface CacheWriteEvent extends EventBase {
  readonly type: 'cache.written' | 'cache.write-failed';
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number;
  readonly writeMs: Millis;
  readonly bytes: number;
  readonly error?: string;
}

/** Everything `ChunkLoader.metrics$` emits. */
export type LoaderEvent = RequestCompletedEvent | RequestRetryEvent | RequestsCancelledEvent | StemFailedEvent | WorkerCrashedEvent | CacheWriteEvent;

import type { SourceIdentity } from './format/metadata.js';

/** PCM handed to `writeChunk`: the chunk-decoder's `DecodedPcm` fits. */
export interface CachePcm {
  /** Planar, one array per channel, each at least `frameCount` long; float = int / 2^(bitDepth−1). */
  readonly channelData: readonly Float32Array[];
  readonly frameCount: number;
  /** Output rate; must be the stem's `sampleRate`. */
  readonly sampleRate: number;
  /** When given, must be `index × chunkFrames`. */
  readonly startFrame?: number;
}

/**
 * What a write did: `written` (committed to disk), `exists` (already cached, nothing to do),
 * `skipped` (cache disabled, writing switched off after a disk error, chunk beyond the cached
 * count, or another process held the entry too long), `failed` (an I/O error, logged).
 */
export type WriteOutcome = 'written' | 'exists' | 'skipped' | 'failed';

/**
 * What the caller expects of an entry, checked on read: any field that differs makes the read a
 * miss (a stem now decoded at another rate or chunk size, or from another file, is not served).
 */
export interface CacheExpectation {
  readonly source?: Partial<SourceIdentity>;
  readonly sampleRate?: number;
  readonly chunkFrames?: number;
  readonly channels?: number;
  readonly totalFrames?: number;
}

/** Numbers for the settings screen and the logs. Counters are since `open()`. */
export interface CacheStats {
  /** Bytes of all entries on disk (chunk files + metadata.json; index.json, a few KB, not counted). */
  readonly bytesUsed: number;
  readonly limitBytes: number;
  /** Cached stems. */
  readonly entries: number;
  readonly songs: number;
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses), 0 before any read. */
  readonly hitRate: number;
  /** Songs evicted (by size limit or `evictLru`). */
  readonly evictions: number;
  readonly evictedBytes: number;
  readonly chunksWritten: number;
  /** Entries dropped because a file was damaged, truncated, missing or of another format version. */
  readonly corruptEntries: number;
  /** Entries dropped because their source file changed. */
  readonly staleEntries: number;
  readonly enabled: boolean;
  /** False after a disk-full or permission error switched writing off for this session. */
  readonly writable: boolean;
}

/** What `evictLru` removed. */
export interface EvictionResult {
  /** Evicted song IDs, least recently used first. */
  readonly songs: readonly string[];
  readonly bytesFreed: number;
  readonly bytesUsed: number;
}

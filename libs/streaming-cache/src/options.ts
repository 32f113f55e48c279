import { defaultCacheDirectory } from './disk/cacheLocation.js';
import { CacheConfigError } from './errors.js';
import type { ChunkCodec } from './ports/ChunkCodec.js';
import type { CacheFileSystem } from './ports/FileSystem.js';
import type { Logger } from './ports/Logger.js';
import type { ProcessIdentity } from './ports/ProcessIdentity.js';

/** Sizes are decimal, as disks and the settings UI show them: 1 GB = 10^9 bytes. */
export const GB = 1e9;
/** The plan's "Configuration & Settings": 10 GB default (≈ 11 songs of 900 MB), slider 1–50 GB. */
export const DEFAULT_MAX_SIZE_GB = 10;
export const MIN_MAX_SIZE_GB = 1;
export const MAX_MAX_SIZE_GB = 50;
/** First 12 chunks of 5 s = the first 60 s of every stem (the plan's CACHE_CHUNK_COUNT). */
export const DEFAULT_CACHE_CHUNKS = 12;
/** Chunk files are named chunk_000 … chunk_999. */
const MAX_CACHE_CHUNKS = 1000;

/** Options of {@link StreamingCache.open}. Everything has a default; tests mostly set `directory` and `maxBytes`. */
export interface StreamingCacheOptions {
  /** Cache folder. Default: `$TRAX_CACHE_DIR`, else the OS cache folder (see `defaultCacheDirectory`). */
  readonly directory?: string;
  /** The user's "Enable Cache" switch (default true). Disabled: reads miss and writes are skipped, without touching the disk. */
  readonly enabled?: boolean;
  /** Size limit in GB (10^9 bytes), 1–50; default 10. */
  readonly maxSizeGb?: number;
  /** Size limit in bytes, any value ≥ 0: overrides `maxSizeGb` (for tests and tools). */
  readonly maxBytes?: number;
  /** Chunks cached per stem, from the start (default 12 = 60 s of 5 s chunks). */
  readonly cacheChunks?: number;
  /**
   * Seconds at the start of every stem also stored undecoded (`start.f32`, float32: 0.5 s of 48 kHz
   * stereo = 192 KB) so `readRange` serves a quick start without decoding; 0 = none. Default 0.5,
   * the slice the loader asks for first (measured in the README: ~5x faster than decoding it).
   */
  readonly startSliceSeconds?: number;
  /** fsync files and folders on commit (default true). Off only for throwaway caches: a power cut may then lose recent entries (never corrupt them). */
  readonly durable?: boolean;
  /** Check on every read that the source file still has the recorded size and modification time (default true; costs one `stat`). */
  readonly verifySource?: boolean;
  /** How long a writer waits for another process's lock on the same entry before skipping the write (default 2000 ms). */
  readonly lockTimeoutMs?: number;
  readonly logger?: Logger;
  /** Ports, for tests and other hosts: file system (fault injection), chunk codec, the clock of LRU stamps (ms since the epoch, kept in index.json), this process (lock owners, temporary names, liveness of other owners). */
  readonly fileSystem?: CacheFileSystem;
  readonly codec?: ChunkCodec;
  readonly clock?: () => number;
  readonly processIdentity?: ProcessIdentity;
}

/** A size limit check shared by `open` and `setLimit`. */
export function resolveLimitBytes(limit: Pick<StreamingCacheOptions, 'maxSizeGb' | 'maxBytes'>): number {
  if (limit.maxBytes !== undefined) {
    if (!(Number.isFinite(limit.maxBytes) && limit.maxBytes >= 0)) throw new CacheConfigError('maxBytes', `must be a number of bytes ≥ 0, got ${limit.maxBytes}`);
    return Math.floor(limit.maxBytes);
  }
  const gb = limit.maxSizeGb ?? DEFAULT_MAX_SIZE_GB;
  if (!(gb >= MIN_MAX_SIZE_GB && gb <= MAX_MAX_SIZE_GB))
    throw new CacheConfigError('maxSizeGb', `must be ${MIN_MAX_SIZE_GB}–${MAX_MAX_SIZE_GB} GB, got ${gb} (use maxBytes for a smaller test cache)`);
  return Math.floor(gb * GB);
}

export function resolveCacheChunks(value: number | undefined): number {
  const chunks = value ?? DEFAULT_CACHE_CHUNKS;
  if (!(Number.isInteger(chunks) && chunks >= 0 && chunks <= MAX_CACHE_CHUNKS))
    throw new CacheConfigError('cacheChunks', `must be a whole number 0–${MAX_CACHE_CHUNKS}, got ${chunks}`);
  return chunks;
}

/** Default instant-start slice: the first 0.5 s, what the loader requests for first audio. */
export const DEFAULT_START_SLICE_SECONDS = 0.5;

export function resolveStartSeconds(value: number | undefined): number {
  const seconds = value ?? DEFAULT_START_SLICE_SECONDS;
  if (!(seconds >= 0 && seconds <= 60)) throw new CacheConfigError('startSliceSeconds', `must be 0–60 seconds, got ${seconds}`);
  return seconds;
}

export function resolveDirectory(value: string | undefined): string {
  if (value !== undefined && value.trim() === '') throw new CacheConfigError('directory', 'must not be empty');
  return value ?? defaultCacheDirectory();
}

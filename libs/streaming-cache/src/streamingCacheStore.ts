import type { DecodedPcm } from '@trax/chunk-decoder';
import path from 'node:path';
import type { StemCacheInfo } from './format/metadata.js';
import type { StreamingCache } from './StreamingCache.js';
import type { CacheExpectation, CachePcm } from './types.js';

/** What the cache needs to know about a stem: the shape of `@trax/chunk-loader`'s `StemInfo`. */
export interface CachedStemDescription {
  readonly song: string;
  readonly stem: string;
  readonly path: string;
  readonly sampleRate: number;
  readonly outputSampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  readonly totalFrames: number;
  readonly chunkFrames: number;
  readonly md5: string;
}

/** The chunk store port of `@trax/chunk-loader` (`ChunkStore`), matched structurally. */
export interface StemChunkStore {
  read(stem: CachedStemDescription, chunkIndex: number): Promise<DecodedPcm | undefined>;
  /** Frames inside one cached chunk; the first 0.5 s come from the start slice without decoding. */
  readRange(stem: CachedStemDescription, startFrame: number, frameCount: number): Promise<DecodedPcm | undefined>;
  write(stem: CachedStemDescription, chunkIndex: number, pcm: CachePcm): Promise<void>;
}

/**
 * Adapts a {@link StreamingCache} to the chunk loader's store port: reads (whole chunks and ranges
 * inside one chunk) ask for the stem's current layout and source (anything else is a miss), writes
 * declare the stem (source identity from a `stat` through the cache's file system port, and the
 * STREAMINFO MD5) before storing the chunk.
 *
 * @example
 * ```ts
 * const loader = await ChunkLoader.start({ cache: streamingCacheStore(await StreamingCache.open()) });
 * ```
 */
export function streamingCacheStore(cache: StreamingCache): StemChunkStore {
  const expectation = (stem: CachedStemDescription): CacheExpectation => ({
    sampleRate: stem.outputSampleRate,
    chunkFrames: stem.chunkFrames,
    channels: stem.channels,
    totalFrames: stem.totalFrames,
    source: { path: path.resolve(stem.path), md5: stem.md5.toLowerCase() },
  });
  return {
    read: (stem, chunkIndex) => cache.readChunk(stem.song, stem.stem, chunkIndex, expectation(stem)),
    readRange: (stem, startFrame, frameCount) => cache.readRange(stem.song, stem.stem, startFrame, frameCount, expectation(stem)),
    async write(stem, chunkIndex, pcm) {
      if (!cache.enabled || chunkIndex >= cache.cacheChunks) return;
      const info: StemCacheInfo = {
        source: await cache.identifySource(stem.path, stem.md5),
        sampleRate: stem.outputSampleRate,
        sourceSampleRate: stem.sampleRate,
        channels: stem.channels,
        bitDepth: stem.bitDepth,
        chunkFrames: stem.chunkFrames,
        totalFrames: stem.totalFrames,
      };
      await cache.writeMetadata(stem.song, stem.stem, info);
      await cache.writeChunk(stem.song, stem.stem, chunkIndex, pcm);
    },
  };
}

import type { CacheExpectation } from '@trax/streaming-cache';
import type { StreamingCache } from '@trax/streaming-cache/node';
import path from 'node:path';
import type { CacheCoverage } from '../check/checkPorts.js';
import { isStemUrl } from '../setlist/stemLocation.js';

/**
 * The Node {@link CacheCoverage} over a `StreamingCache`: counts the chunks cached from the
 * stem's start, asking with the identity and layout the loader would read them with (path,
 * STREAMINFO MD5, the engine's rate and chunk size), so an entry made from another file or at
 * another rate counts as not cached. Reads metadata and file sizes only, never chunk contents.
 * URL stems are not cached by the loader today: none of them counts as cached.
 */
export function nodeCacheCoverage(cache: StreamingCache): CacheCoverage {
  return {
    async coverage(query) {
      const { outputFrames, chunkFrames } = query;
      const cacheableChunks = Math.min(cache.cacheChunks, Math.ceil(outputFrames / chunkFrames));
      const cacheableFrames = Math.min(cacheableChunks * chunkFrames, outputFrames);
      if (isStemUrl(query.location)) return { cachedFrames: 0, cacheableFrames };
      const expect: CacheExpectation = {
        sampleRate: query.sampleRate,
        chunkFrames,
        channels: query.facts.channels,
        totalFrames: outputFrames,
        source: { path: path.resolve(query.location), md5: query.facts.md5.toLowerCase() },
      };
      let chunks = 0;
      while (chunks < cacheableChunks && (await cache.hasCache(query.song, query.stem, chunks, expect))) chunks++;
      return { cachedFrames: Math.min(chunks * chunkFrames, outputFrames), cacheableFrames };
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StreamingCache, streamingCacheStore } from '@trax/streaming-cache/node';
import { ChunkLoader } from './ChunkLoader.js';
import { hasFlacCli, referenceFlac, referenceFloats, referencePcm } from './testing/referenceFlac.fixture.js';
import type { ReferenceFlacSpec } from './testing/referenceFlac.fixture.js';

// The loader over the real disk cache: decoded chunks of the cached range are written back at idle
// priority as FLAC files; a second loader (a restart) reads them back, bit-exact.
const SPEC: ReferenceFlacSpec = { seconds: 12.3, sampleRate: 48_000, channels: 2, bitDepth: 24, seed: 5 };
const flacAvailable = hasFlacCli();
if (!flacAvailable) console.warn('chunk-loader: `flac` not installed; skipping the streaming-cache end-to-end test');

(flacAvailable ? describe : describe.skip)('ChunkLoader with @trax/streaming-cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'chunk-loader-cache-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the cached range back to disk and serves it after a restart, bit-exact', async () => {
    const file = referenceFlac(SPEC);
    const pcm = referencePcm(SPEC);
    const first = await StreamingCache.open({ directory: dir, maxBytes: 1e9, cacheChunks: 2, durable: false });
    const loader = await ChunkLoader.start({ workers: 0, cache: streamingCacheStore(first), cacheChunks: 2 });
    const stem = await loader.openStem({ song: 'song', stem: 'mix', path: file });
    for (const index of [0, 1, 2]) expect((await loader.request(stem, index, 'normal')).from).toBe('decode');
    const deadline = performance.now() + 5000;
    while (loader.counters().writeBacks < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(loader.counters()).toMatchObject({ misses: 2, writeBacks: 2, writeBackFailures: 0 });
    await loader.stop();
    await first.close();

    const second = await StreamingCache.open({ directory: dir, maxBytes: 1e9, cacheChunks: 2, durable: false });
    const restarted = await ChunkLoader.start({ workers: 0, cache: streamingCacheStore(second), cacheChunks: 2 });
    try {
      const again = await restarted.openStem({ song: 'song', stem: 'mix', path: file });
      const start = await restarted.request(again, { startFrame: 0, frameCount: 24_000 }, 'urgent'); // the instant-start slice
      expect(start.from).toBe('cache');
      const expectedStart = referenceFloats(pcm, 24, 0, 24_000);
      start.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength).equals(Buffer.from(expectedStart[c].buffer))).toBe(true));
      for (const index of [0, 1]) {
        const chunk = await restarted.request(again, index, 'urgent');
        expect(chunk.from).toBe('cache');
        const expected = referenceFloats(pcm, 24, index * 240_000, 240_000);
        chunk.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer).equals(Buffer.from(expected[c].buffer))).toBe(true));
      }
      expect(restarted.counters()).toMatchObject({ hits: 3, misses: 0 });
    } finally {
      await restarted.stop();
      await second.close();
    }
  });
});

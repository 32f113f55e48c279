import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChunkDecoder } from '@trax/chunk-decoder';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { fixture, generateStemPcm, type GeneratedSong } from '@trax/test-audio';
import { copyFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { nodeFileSystem } from './disk/nodeFileSystem.js';
import { intToFloat } from './format/quantize.js';
import type { CacheFileSystem } from './ports/FileSystem.js';
import { StreamingCache } from './StreamingCache.js';
import { streamingCacheStore, type CachedStemDescription } from './streamingCacheStore.js';
import { firstDifference, tempFolder } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
let song48: GeneratedSong;
let song44: GeneratedSong;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('store'));
  // 11 s: chunks of 5 s, 5 s and 1 s.
  song48 = await fixture({ songId: 'cache-store-48k', stems: 2, seconds: 11, sampleRate: 48000, bitDepth: 24, channels: 2 });
  song44 = await fixture({ songId: 'cache-store-44k', stems: 1, seconds: 6, sampleRate: 44100, bitDepth: 16, channels: 2 });
}, 60_000);
afterAll(() => cleanup());

function describeStem(song: string, stem: string, file: string, decoder: ChunkDecoder): CachedStemDescription {
  const { sampleRate, outputSampleRate, channels, bitDepth, totalFrames, chunkFrames, md5 } = decoder;
  return { song, stem, path: file, sampleRate, outputSampleRate, channels, bitDepth, totalFrames, chunkFrames, md5 };
}

describe('streamingCacheStore (the chunk loader port) over real stems', () => {
  it('gives back exactly the generated samples of every chunk the decoder delivered, for every stem', async () => {
    const cache = await StreamingCache.open({ directory: path.join(dir, 'exact') });
    const store = streamingCacheStore(cache);
    for (const stem of song48.stems) {
      const decoder = await openFileDecoder(stem.path);
      const info = describeStem(song48.id, stem.id, stem.path, decoder);
      expect(decoder.totalChunks()).toBe(3);
      for (let i = 0; i < 3; i++) await store.write(info, i, await decoder.decodeChunk(i));
      await decoder.close();
      // Independent truth: the generator's integers, not the decoder we cached from.
      const truth = intToFloat(generateStemPcm(stem.spec), 24);
      for (let i = 0; i < 3; i++) {
        const pcm = await store.read(info, i);
        const start = i * info.chunkFrames;
        expect(pcm).toMatchObject({ startFrame: start, sampleRate: 48000, errors: [] });
        expect(firstDifference(pcm!.channelData, truth.map((c) => c.subarray(start, Math.min(c.length, start + info.chunkFrames))))).toBeUndefined();
      }
      // A quick start (the start slice) and a seek slice inside chunk 1 (decoded from FLAC).
      for (const [start, count] of [
        [0, 24000],
        [info.chunkFrames + 1000, 30000],
      ]) {
        const slice = await store.readRange(info, start, count);
        expect(firstDifference(slice!.channelData, truth.map((c) => c.subarray(start, start + count)))).toBeUndefined();
      }
    }
    expect(cache.stats()).toMatchObject({ entries: 2, songs: 1, hits: 10, chunksWritten: 6 });
    await cache.close(); // its index is written in the background: done before the folder goes
  }, 60_000);

  it('caches a resampled stem (44.1 → 48 kHz) at 24 bit, within 2^-24 of what the decoder gave', async () => {
    const cache = await StreamingCache.open({ directory: path.join(dir, 'resampled') });
    const store = streamingCacheStore(cache);
    const stem = song44.stems[0];
    const decoder = await openFileDecoder(stem.path, { outputSampleRate: 48000 });
    const info = describeStem(song44.id, stem.id, stem.path, decoder);
    const decoded = await decoder.decodeChunk(0);
    await decoder.close();
    await store.write(info, 0, decoded);
    const pcm = await store.read(info, 0);
    expect(pcm?.frameCount).toBe(240000);
    let worst = 0;
    for (let c = 0; c < 2; c++) for (let i = 0; i < 240000; i++) worst = Math.max(worst, Math.abs(pcm!.channelData[c][i] - decoded.channelData[c][i]));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(2 ** -24);
    await cache.close(); // its index is written in the background: done before the folder goes
  }, 60_000);

  it('misses when the stem is now decoded with another chunk size, or its file changed', async () => {
    const cache = await StreamingCache.open({ directory: path.join(dir, 'changes') });
    const store = streamingCacheStore(cache);
    const file = path.join(dir, 'copy.flac');
    await copyFile(song48.stems[0].path, file);
    const decoder = await openFileDecoder(file);
    const info = describeStem('s', 'stem', file, decoder);
    await store.write(info, 0, await decoder.decodeChunk(0));
    await decoder.close();
    expect(await store.read(info, 0)).toBeDefined();
    expect(await store.read({ ...info, chunkFrames: 96000 }, 0)).toBeUndefined();
    expect(await store.readRange({ ...info, outputSampleRate: 44100 }, 0, 100)).toBeUndefined();
    await utimes(file, new Date(), new Date(Date.now() + 10_000));
    expect(await store.read(info, 0)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ staleEntries: 1, entries: 0 });
    await cache.close(); // its index is written in the background: done before the folder goes
  }, 60_000);
  it("identifies the source through the cache's file system port, not the disk behind its back", async () => {
    // The port reports another size and mtime for the source than the disk holds. The identity the
    // store records must be the port's: the cache checks every read against the port too, so an
    // identity taken from the disk directly would make each read a "changed source" miss.
    const stem = song48.stems[0];
    const source = path.resolve(stem.path);
    const fileSystem: CacheFileSystem = {
      ...nodeFileSystem,
      stat: (file) => (file === source ? Promise.resolve({ size: 1234, mtimeMs: 5678, isFile: true, isDirectory: false }) : nodeFileSystem.stat(file)),
    };
    const cache = await StreamingCache.open({ directory: path.join(dir, 'port'), fileSystem });
    const store = streamingCacheStore(cache);
    const decoder = await openFileDecoder(stem.path);
    const info = describeStem(song48.id, stem.id, stem.path, decoder);
    await store.write(info, 0, await decoder.decodeChunk(0));
    await decoder.close();
    expect(await cache.hasCache(song48.id, stem.id, 0, { source: { path: source, size: 1234, mtimeMs: 5678 } })).toBe(true);
    expect(await store.read(info, 0)).toMatchObject({ startFrame: 0, frameCount: info.chunkFrames });
    expect(cache.stats()).toMatchObject({ staleEntries: 0, hits: 1 });
    await cache.close(); // its index is written in the background: done before the folder goes
  }, 60_000);
});

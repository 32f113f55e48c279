import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { StreamingCache, identifySource } from '@trax/streaming-cache/node';
import { fixture, type GeneratedSong } from '@trax/test-audio';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoverageQuery } from '../check/checkPorts.js';
import { fakeStemFacts } from '../testing/fakeCheckPorts.js';
import { nodeCacheCoverage } from './nodeCacheCoverage.js';

// 12 s at 48 kHz = 576,000 frames; 5 s chunks of 240,000: chunks 0, 1 and a last one of 96,000.
let song: GeneratedSong;
let dir: string;
beforeAll(async () => {
  song = await fixture({ songId: 'coverage', stems: 1, seconds: 12, sampleRate: 48_000, bitDepth: 16, channels: 2 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'trax-coverage-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cache holding `chunks` of the stem, written the way the loader writes them. */
async function cacheWith(chunks: number[], options: { cacheChunks?: number } = {}): Promise<StreamingCache> {
  const cache = await StreamingCache.open({ directory: mkdtempSync(path.join(dir, 'cache-')), ...options });
  const file = song.stems[0].path;
  const decoder = await openFileDecoder(file);
  await cache.writeMetadata('song', 'stem', {
    source: await identifySource(file, decoder.md5),
    sampleRate: decoder.outputSampleRate,
    sourceSampleRate: decoder.sampleRate,
    channels: decoder.channels,
    bitDepth: decoder.bitDepth,
    chunkFrames: decoder.chunkFrames,
    totalFrames: decoder.totalFrames,
  });
  for (const chunk of chunks) expect(await cache.writeChunk('song', 'stem', chunk, await decoder.decodeChunk(chunk))).toBe('written');
  await decoder.close();
  return cache;
}

const query = (location = song.stems[0].path, md5 = song.stems[0].md5): CoverageQuery => ({
  song: 'song',
  stem: 'stem',
  location,
  facts: fakeStemFacts({ sampleRate: 48_000, frames: 576_000, channels: 2, md5 }),
  sampleRate: 48_000,
  outputFrames: 576_000,
  chunkFrames: 240_000,
});

describe('nodeCacheCoverage', () => {
  it('counts the chunks cached from the start, without a hole', async () => {
    const none = await cacheWith([]);
    expect(await nodeCacheCoverage(none).coverage(query())).toEqual({ cachedFrames: 0, cacheableFrames: 576_000 });
    const two = await cacheWith([0, 1]);
    expect(await nodeCacheCoverage(two).coverage(query())).toEqual({ cachedFrames: 480_000, cacheableFrames: 576_000 });
    const all = await cacheWith([0, 1, 2]);
    expect(await nodeCacheCoverage(all).coverage(query())).toEqual({ cachedFrames: 576_000, cacheableFrames: 576_000 });
    const holed = await cacheWith([0, 2]);
    expect(await nodeCacheCoverage(holed).coverage(query())).toEqual({ cachedFrames: 240_000, cacheableFrames: 576_000 });
    for (const cache of [none, two, all, holed]) await cache.close();
  }, 30_000);

  it('caps what is cacheable at the cache\'s chunks per stem', async () => {
    const cache = await cacheWith([0, 1], { cacheChunks: 2 });
    expect(await nodeCacheCoverage(cache).coverage(query())).toEqual({ cachedFrames: 480_000, cacheableFrames: 480_000 });
    await cache.close();
  });

  it('does not count chunks made from another file or other audio, nor URL stems', async () => {
    const cache = await cacheWith([0, 1, 2]);
    const coverage = nodeCacheCoverage(cache);
    const moved = path.join(dir, 'moved.flac');
    copyFileSync(song.stems[0].path, moved);
    expect((await coverage.coverage(query(moved))).cachedFrames).toBe(0);
    expect((await coverage.coverage(query(undefined, 'f'.repeat(32)))).cachedFrames).toBe(0);
    expect(await coverage.coverage(query('https://band.example/stem.flac'))).toEqual({ cachedFrames: 0, cacheableFrames: 576_000 });
    await cache.close();
  });
});

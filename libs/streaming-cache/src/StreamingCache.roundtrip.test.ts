import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { requireTool } from '@trax/reference-tools';
import { flacTest, referenceDecode } from '@trax/test-audio';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { entryFolderName } from './format/entryName.js';
import { CacheUsageError } from './errors.js';
import { chunkFileName, METADATA_FILE } from './format/metadata.js';
import { flacChunkCodec } from './format/flacChunkCodec.js';
import { floatToInt } from './format/quantize.js';
import { StreamingCache } from './StreamingCache.js';
import { bytesOnDisk, firstDifference, tempFolder, testStem } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('roundtrip')));
afterAll(() => cleanup());

async function openCache(name: string, options: Parameters<typeof StreamingCache.open>[0] = {}) {
  return StreamingCache.open({ directory: path.join(dir, name), ...options });
}

describe('StreamingCache round trip', () => {
  it.each([
    { bitDepth: 24 as const, channels: 2 as const, sampleRate: 48000 },
    { bitDepth: 16 as const, channels: 2 as const, sampleRate: 44100 },
    { bitDepth: 16 as const, channels: 1 as const, sampleRate: 48000 },
  ])('gives back every chunk bit-exactly ($bitDepth-bit, $channels ch, $sampleRate Hz), the short last chunk included', async (spec) => {
    const cache = await openCache(`exact-${spec.bitDepth}-${spec.channels}-${spec.sampleRate}`);
    // 1.05 s in 0.25 s chunks: four whole chunks and a short fifth.
    const stem = await testStem(dir, `exact-${spec.bitDepth}-${spec.channels}`, { ...spec, seconds: 1.05, chunkFrames: spec.sampleRate / 4, kind: 'drums' });
    expect(await cache.writeMetadata('song', 'stem', stem.info)).toBe('written');
    for (let i = 0; i < 5; i++) expect(await cache.writeChunk('song', 'stem', i, stem.chunk(i))).toBe('written');
    for (let i = 0; i < 5; i++) {
      const pcm = await cache.readChunk('song', 'stem', i);
      expect(pcm).toBeDefined();
      expect(firstDifference(pcm!.channelData, stem.chunk(i).channelData)).toBeUndefined();
      expect(pcm).toMatchObject({ startFrame: i * stem.info.chunkFrames, frameCount: stem.chunk(i).frameCount, sampleRate: spec.sampleRate, errors: [] });
    }
    expect(await cache.hasCache('song', 'stem')).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 5, misses: 0, hitRate: 1, entries: 1, songs: 1, chunksWritten: 5 });
  });

  it('reads a range inside one cached chunk (a quick start, or the rest of a chunk after a seek) exactly', async () => {
    const cache = await openCache('range');
    // 1 s in 0.5 s chunks of 24000 frames: FLAC frames of 4096, so ranges start mid-frame too.
    const stem = await testStem(dir, 'range', { seconds: 1, chunkFrames: 24000, kind: 'bass' });
    await cache.writeMetadata('s', 't', stem.info);
    for (let i = 0; i < 2; i++) await cache.writeChunk('s', 't', i, stem.chunk(i));
    const whole = [0, 1].map((i) => stem.chunk(i).channelData);
    for (const [start, count] of [
      [0, 4800],
      [5000, 100],
      [24000 + 12345, 24000 - 12345],
      [47999, 1],
    ]) {
      const pcm = await cache.readRange('s', 't', start, count);
      const chunk = Math.floor(start / 24000);
      const offset = start - chunk * 24000;
      expect(pcm).toMatchObject({ startFrame: start, frameCount: count, sampleRate: 48000 });
      expect(firstDifference(pcm!.channelData, whole[chunk].map((c) => c.subarray(offset, offset + count)))).toBeUndefined();
    }
    expect(await cache.readRange('s', 't', 23000, 2000)).toBeUndefined();
    expect(await cache.readRange('s', 't', 0, 0)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 2 });
  });

  it('serves the first startSliceSeconds from start.f32 without decoding, exactly, and decodes beyond it', async () => {
    let decodes = 0;
    const countingCodec = { ...flacChunkCodec, decode: (...args: Parameters<typeof flacChunkCodec.decode>) => (decodes++, flacChunkCodec.decode(...args)) };
    // 0.05 s at 48 kHz = 2400 frames of slice, inside a 24000-frame chunk 0.
    const cache = await openCache('start-slice', { codec: countingCodec, startSliceSeconds: 0.05 });
    const stem = await testStem(dir, 'start-slice', { seconds: 0.6, chunkFrames: 24000, bitDepth: 16, kind: 'chords' });
    await cache.writeMetadata('s', 't', stem.info);
    await cache.writeChunk('s', 't', 0, stem.chunk(0));
    const chunk0 = stem.chunk(0).channelData;
    const meta = JSON.parse(await readFile(path.join(cache.directory, entryFolderName('s', 't'), METADATA_FILE), 'utf8'));
    expect(meta.start).toMatchObject({ frames: 2400, bytes: 2400 * 2 * 4 });

    for (const [start, count] of [
      [0, 2400],
      [100, 50],
    ]) {
      const pcm = await cache.readRange('s', 't', start, count);
      expect(firstDifference(pcm!.channelData, chunk0.map((c) => c.subarray(start, start + count)))).toBeUndefined();
    }
    expect(decodes).toBe(0);
    const beyond = await cache.readRange('s', 't', 0, 2401);
    expect(firstDifference(beyond!.channelData, chunk0.map((c) => c.subarray(0, 2401)))).toBeUndefined();
    expect(decodes).toBe(1);

    const none = await openCache('no-start-slice', { startSliceSeconds: 0 });
    await none.writeMetadata('s', 't', stem.info);
    await none.writeChunk('s', 't', 0, stem.chunk(0));
    expect(await readdir(path.join(none.directory, entryFolderName('s', 't')))).not.toContain('start.f32');
    expect(await none.readRange('s', 't', 0, 100)).toBeDefined();
  });

  (requireTool('flac') ? it : it.skip)('writes standalone FLAC files that the reference decoder accepts and decodes to the same integers', async () => {
    const cache = await openCache('reference');
    const stem = await testStem(dir, 'reference', { seconds: 0.6, chunkFrames: 12000, bitDepth: 24 });
    await cache.writeMetadata('ref-song', 'ref-stem', stem.info);
    for (let i = 0; i < 3; i++) await cache.writeChunk('ref-song', 'ref-stem', i, stem.chunk(i));
    const folder = path.join(cache.directory, entryFolderName('ref-song', 'ref-stem'));
    for (let i = 0; i < 3; i++) {
      const file = path.join(folder, chunkFileName(i));
      expect(await flacTest(file)).toEqual({ ok: true, output: '' });
      const decoded = await referenceDecode(file);
      expect(decoded).toEqual(stem.ints.map((c) => c.subarray(i * 12000, (i + 1) * 12000)));
    }
  });

  it('quantises a resampled stem to 24 bit and says so in metadata.json', async () => {
    const cache = await openCache('resampled');
    const stem = await testStem(dir, 'resampled', { seconds: 0.2, chunkFrames: 4800, bitDepth: 16 });
    const info = { ...stem.info, sourceSampleRate: 44100 };
    // Floats no integer grid holds, as a resampler makes them (including overshoot past full scale).
    const floats = stem.chunk(0).channelData.map((c) => c.map((v, i) => Math.fround(v * 0.987654 + (i % 7) * 1e-7)));
    floats[0][0] = 1.2;
    await cache.writeMetadata('rs', 'stem', info);
    expect(await cache.writeChunk('rs', 'stem', 0, { channelData: floats, frameCount: 4800, sampleRate: 48000 })).toBe('written');
    const pcm = await cache.readChunk('rs', 'stem', 0);
    const expected = (floatToInt(floats, 4800, 24, false) as Int32Array[]).map((c) => Float32Array.from(c, (v) => v / 2 ** 23));
    expect(firstDifference(pcm!.channelData, expected)).toBeUndefined();
    let worst = 0;
    for (let c = 0; c < 2; c++) for (let i = 1; i < 4800; i++) worst = Math.max(worst, Math.abs(pcm!.channelData[c][i] - floats[c][i]));
    expect(worst).toBeLessThanOrEqual(2 ** -24);
    const meta = JSON.parse(await readFile(path.join(cache.directory, entryFolderName('rs', 'stem'), METADATA_FILE), 'utf8'));
    expect(meta).toMatchObject({ bitDepth: 16, storedBitDepth: 24, sampleRate: 48000, sourceSampleRate: 44100 });
  });

  it('lays out one folder per stem with metadata.json and chunk_NNN.flac, and accounts exactly the bytes on disk', async () => {
    const cache = await openCache('layout');
    const stem = await testStem(dir, 'layout', { seconds: 0.5, chunkFrames: 4800 });
    for (const stemId of ['vocals', 'bass']) {
      await cache.writeMetadata('Song 1', stemId, stem.info);
      for (let i = 0; i < 3; i++) await cache.writeChunk('Song 1', stemId, i, stem.chunk(i));
    }
    const folders = (await readdir(cache.directory)).filter((name) => name !== 'index.json').sort();
    expect(folders).toEqual([entryFolderName('Song 1', 'bass'), entryFolderName('Song 1', 'vocals')].sort());
    expect((await readdir(path.join(cache.directory, folders[0]))).sort()).toEqual(['chunk_000.flac', 'chunk_001.flac', 'chunk_002.flac', 'metadata.json', 'start.f32']);
    expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(cache.directory));
    const meta = JSON.parse(await readFile(path.join(cache.directory, folders[0], METADATA_FILE), 'utf8'));
    expect(meta).toMatchObject({ format: 'trax-streaming-cache', version: 1, song: 'Song 1', totalChunks: 5, chunkFrames: 4800, source: stem.info.source });
    expect(meta.chunks.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
  });

  it('caches only the first cacheChunks chunks and reports a chunk already there as existing', async () => {
    const cache = await openCache('first-n', { cacheChunks: 2 });
    const stem = await testStem(dir, 'first-n', { seconds: 0.3, chunkFrames: 4800 });
    await cache.writeMetadata('s', 't', stem.info);
    expect(await cache.writeChunk('s', 't', 0, stem.chunk(0))).toBe('written');
    expect(await cache.writeChunk('s', 't', 0, stem.chunk(0))).toBe('exists');
    expect(await cache.hasCache('s', 't')).toBe(false);
    expect(await cache.writeChunk('s', 't', 1, stem.chunk(1))).toBe('written');
    expect(await cache.writeChunk('s', 't', 2, stem.chunk(2))).toBe('skipped');
    expect(await cache.hasCache('s', 't')).toBe(true);
    expect(await cache.hasCache('s', 't', 2)).toBe(false);
    expect(await cache.readChunk('s', 't', 2)).toBeUndefined();
  });

  it('refuses PCM that does not fit the declared stem, and chunks of an undeclared stem', async () => {
    const cache = await openCache('usage');
    const stem = await testStem(dir, 'usage', { seconds: 0.2, chunkFrames: 4800, bitDepth: 16 });
    await expect(cache.writeChunk('s', 'undeclared', 0, stem.chunk(0))).rejects.toThrow(/writeMetadata/);
    await cache.writeMetadata('s', 't', stem.info);
    const good = stem.chunk(0);
    await expect(cache.writeChunk('s', 't', 0, { ...good, frameCount: 100 })).rejects.toThrow(CacheUsageError);
    await expect(cache.writeChunk('s', 't', 0, { ...good, sampleRate: 44100 })).rejects.toThrow(/44100 Hz/);
    await expect(cache.writeChunk('s', 't', 0, { ...good, channelData: [good.channelData[0]] })).rejects.toThrow(/1 channels/);
    await expect(cache.writeChunk('s', 't', 1, good)).rejects.toThrow(/starts at frame 0/);
    const gained = { ...good, channelData: good.channelData.map((c) => c.map((v) => v * 0.9)) };
    await expect(cache.writeChunk('s', 't', 0, gained)).rejects.toThrow(/not a 16-bit value/);
    await expect(cache.writeMetadata('s', 't', { ...stem.info, channels: 0 })).rejects.toThrow(/channels/);
    await expect(cache.writeMetadata('s', 't', { ...stem.info, source: { ...stem.info.source, md5: 'nope' } })).rejects.toThrow(/md5/);
  });

  it('misses when the caller expects another layout or source, without dropping the entry', async () => {
    const cache = await openCache('expect');
    const stem = await testStem(dir, 'expect', { seconds: 0.2, chunkFrames: 4800 });
    await cache.writeMetadata('s', 't', stem.info);
    await cache.writeChunk('s', 't', 0, stem.chunk(0));
    expect(await cache.readChunk('s', 't', 0, { chunkFrames: 9600 })).toBeUndefined();
    expect(await cache.readChunk('s', 't', 0, { sampleRate: 44100 })).toBeUndefined();
    expect(await cache.readChunk('s', 't', 0, { source: { md5: 'f'.repeat(32) } })).toBeUndefined();
    expect(await cache.readChunk('s', 't', 0, { chunkFrames: 4800, source: { md5: stem.info.source.md5, path: stem.info.source.path } })).toBeDefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, hitRate: 0.25 });
  });

  it('turned off, misses and skips without touching the disk; turned on again, finds what was there', async () => {
    const directory = path.join(dir, 'switch');
    const first = await StreamingCache.open({ directory });
    const stem = await testStem(dir, 'switch', { seconds: 0.1, chunkFrames: 4800 });
    await first.writeMetadata('s', 't', stem.info);
    await first.writeChunk('s', 't', 0, stem.chunk(0));
    await first.close();

    const cache = await StreamingCache.open({ directory, enabled: false });
    expect(cache.stats()).toMatchObject({ entries: 0, enabled: false });
    expect(await cache.readChunk('s', 't', 0)).toBeUndefined();
    expect(await cache.hasCache('s', 't')).toBe(false);
    expect(await cache.writeMetadata('s', 'u', stem.info)).toBe('skipped');
    expect(await cache.writeChunk('s', 'u', 0, stem.chunk(0))).toBe('skipped');
    expect(await readdir(directory)).not.toContain(entryFolderName('s', 'u'));
    await cache.setEnabled(true);
    expect(cache.stats()).toMatchObject({ entries: 1, enabled: true });
    expect(await cache.readChunk('s', 't', 0)).toBeDefined();
  });
});

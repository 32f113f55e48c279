import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { ChunkLoader } from './ChunkLoader.js';
import type { ChunkLoaderOptions } from './ChunkLoaderOptions.js';
import { MemoryChunkStore } from './store/MemoryChunkStore.js';
import { hasFlacCli, referenceFlac, referenceFloats, referencePcm } from './testing/referenceFlac.fixture.js';
import type { ReferenceFlacSpec } from './testing/referenceFlac.fixture.js';
import type { ChunkSpan, LoadedChunk } from './types.js';

// End-to-end: real FLAC files from the reference encoder, decoded through the loader (inline and
// worker threads), compared sample for sample with the PCM they were made from and with direct
// ChunkDecoder calls. 12.3 s at 5 s chunks = chunks 0, 1 and a 2.3 s chunk 2.
const SPEC: ReferenceFlacSpec = { seconds: 12.3, sampleRate: 48_000, channels: 2, bitDepth: 24, seed: 5 };
const SPANS: ChunkSpan[] = [0, 1, 2, { startFrame: 0, frameCount: 24_000 }, { startFrame: 301_234, frameCount: 50_000 }, { startFrame: 589_000, frameCount: 10_000 }];
const flacAvailable = hasFlacCli();
if (!flacAvailable) console.warn('chunk-loader: `flac` not installed; skipping the end-to-end FLAC tests');
const describeFlac = flacAvailable ? describe : describe.skip;

function sameSamples(actual: Float32Array[], expected: Float32Array[]): boolean {
  return actual.length === expected.length && actual.every((channel, c) => Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength).equals(Buffer.from(expected[c].buffer, expected[c].byteOffset, expected[c].byteLength)));
}

describeFlac.each([
  ['inline', { workers: 0 }],
  ['2 worker threads', { workers: 2 }],
] as const)('ChunkLoader end to end (%s)', (_label, poolOptions) => {
  let file: string;
  let pcm: Int32Array[];
  let loader: ChunkLoader;
  let starting: Promise<ChunkLoader> | undefined;
  const store = new MemoryChunkStore();

  // A loaded machine may take a while to start workers: a hook that timed out must still stop
  // the loader once it has started, or its worker threads keep Jest from exiting.
  beforeAll(async () => {
    file = referenceFlac(SPEC);
    pcm = referencePcm(SPEC);
    const options: ChunkLoaderOptions = { ...poolOptions, cache: store, cacheChunks: 2 };
    starting = ChunkLoader.start(options);
    loader = await starting;
  }, 60_000);
  afterAll(async () => {
    await (await starting?.catch(() => undefined))?.stop();
  }, 60_000);

  it('delivers exactly the encoded samples, identical to direct ChunkDecoder calls', async () => {
    const stem = await loader.openStem({ song: 'ref', stem: 'mix', path: file });
    expect(stem).toMatchObject({ sampleRate: 48_000, channels: 2, bitDepth: 24, totalFrames: 590_400, chunkFrames: 240_000, totalChunks: 3 });
    const direct = await openFileDecoder(file);
    try {
      const chunks = await Promise.all(SPANS.map((span, i) => loader.request(stem, span, i % 2 ? 'urgent' : 'normal')));
      for (const [i, chunk] of chunks.entries()) {
        const span = SPANS[i];
        const reference = typeof span === 'number' ? await direct.decodeChunk(span) : await direct.decodeRange(span.startFrame, Math.min(span.frameCount, stem.totalFrames - span.startFrame));
        expect([chunk.startFrame, chunk.frameCount]).toEqual([reference.startFrame, reference.frameCount]);
        expect(sameSamples(chunk.channelData, reference.channelData)).toBe(true);
        expect(sameSamples(chunk.channelData, referenceFloats(pcm, 24, chunk.startFrame, chunk.frameCount))).toBe(true);
        expect(chunk.errors).toEqual([]);
      }
    } finally {
      await direct.close();
    }
  });

  it('writes cached-range chunks back and serves them from the store, bit-exact', async () => {
    const stem = await loader.openStem({ song: 'ref', stem: 'mix', path: file });
    const deadline = performance.now() + 5000;
    while (store.size < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(store.has(stem, 0) && store.has(stem, 1) && !store.has(stem, 2)).toBe(true);
    const cached: LoadedChunk = await loader.request(stem, 1, 'urgent');
    expect(cached.from).toBe('cache');
    expect(sameSamples(cached.channelData, referenceFloats(pcm, 24, 240_000, 240_000))).toBe(true);
  });
});

describeFlac('ChunkLoader end to end, resampled', () => {
  it('resamples 44.1 kHz to 48 kHz in workers exactly as ChunkDecoder does on this thread', async () => {
    const file = referenceFlac({ ...SPEC, sampleRate: 44_100, seconds: 7 });
    const loader = await ChunkLoader.start({ workers: 1, outputSampleRate: 48_000, chunkSeconds: 2 });
    const direct = await openFileDecoder(file, { outputSampleRate: 48_000, chunkSeconds: 2 });
    try {
      const stem = await loader.openStem({ song: 'ref', stem: 'slow', path: file });
      expect(stem).toMatchObject({ sampleRate: 44_100, outputSampleRate: 48_000, totalFrames: direct.totalFrames, chunkFrames: 96_000 });
      for (const index of [0, 2, 3]) {
        const chunk = await loader.request(stem, index, 'normal');
        const reference = await direct.decodeChunk(index);
        expect(sameSamples(chunk.channelData, reference.channelData)).toBe(true);
      }
    } finally {
      await direct.close();
      await loader.stop();
    }
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { statSync } from 'node:fs';
import { flacFixture, hasFlacCli, referenceDecode, type FixtureParams } from './flacCli.fixture.js';
import { openFileDecoder } from './fileDecoder.js';

const describeWithFlac = hasFlacCli ? describe : describe.skip;

// 45 s plus an odd tail, so no length is a multiple of the block size and flac's default seek
// table has several points (one every 10 s) with frames between them to bisect over.
const cases: FixtureParams[] = [
  { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 45 + 1234, blockSize: 1152, seekTable: true },
  { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 45 + 1234, blockSize: 1152, seekTable: false },
  { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 777, blockSize: 4096, seekTable: true },
  { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 777, blockSize: 4096, seekTable: false },
  { sampleRate: 44100, channels: 1, bitsPerSample: 16, frames: 44100 * 45 + 4607, blockSize: 4608, seekTable: true },
  { sampleRate: 44100, channels: 1, bitsPerSample: 16, frames: 44100 * 45 + 4607, blockSize: 4608, seekTable: false },
  { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 1, blockSize: 16384, seekTable: true },
  { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 1, blockSize: 16384, seekTable: false },
];

/** Index of the first sample that differs from the reference slice, or −1. */
function firstMismatch(channelData: Float32Array[], reference: Int32Array, start: number, count: number, bits: number): number {
  const channels = channelData.length;
  const scale = 2 ** (bits - 1);
  for (let i = 0; i < count; i++)
    for (let c = 0; c < channels; c++) if (channelData[c][i] !== reference[(start + i) * channels + c] / scale) return i;
  return -1;
}

describeWithFlac.each(cases.map((p): [string, FixtureParams] => [`${p.bitsPerSample}-bit ${p.channels}ch, block ${p.blockSize}, ${p.seekTable ? 'with' : 'no'} seek table`, p]))(
  'random access: %s',
  (_, params) => {
    let file: string;
    let reference: Int32Array;
    beforeAll(() => {
      file = flacFixture(params);
      reference = referenceDecode(file, params.bitsPerSample);
    });

    it('reports the stream as the reference sees it', async () => {
      const decoder = await openFileDecoder(file);
      expect(decoder.totalFrames).toBe(reference.length / params.channels);
      expect(decoder.totalFrames).toBe(params.frames);
      expect(decoder.seekPoints > 0).toBe(params.seekTable);
      await decoder.close();
    });

    it('decodes random ranges cold (fresh decoder each) exactly as the reference slice', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: params.frames - 1 }), fc.integer({ min: 1, max: 3 * params.blockSize }), async (start, length) => {
          const count = Math.min(length, params.frames - start);
          const decoder = await openFileDecoder(file);
          const pcm = await decoder.decodeRange(start, count);
          await decoder.close();
          expect(pcm.errors).toEqual([]);
          expect(pcm.frameCount).toBe(count);
          expect(pcm.channelData.map((c) => c.length)).toEqual(Array(params.channels).fill(count));
          expect(firstMismatch(pcm.channelData, reference, start, count, params.bitsPerSample)).toBe(-1);
        }),
        { seed: 20240611, numRuns: 25 },
      );
    });

    it('decodes every chunk, the last one complete, and reads only a fraction of the file for one mid chunk', async () => {
      const decoder = await openFileDecoder(file, { chunkSeconds: 5 });
      const chunks = decoder.totalChunks();
      expect(chunks).toBe(Math.ceil(params.frames / decoder.chunkFrames));
      const middle = Math.floor(chunks / 2);
      const before = decoder.bytesRead;
      const mid = await decoder.decodeChunk(middle);
      // A 5 s chunk of a 45 s file is 11 % of the audio; bisecting to it must not read much more.
      expect(decoder.bytesRead - before).toBeLessThan(0.2 * statSync(file).size);
      expect(firstMismatch(mid.channelData, reference, middle * decoder.chunkFrames, mid.frameCount, params.bitsPerSample)).toBe(-1);
      for (let k = 0; k < chunks; k++) {
        const chunk = await decoder.decodeChunk(k);
        const start = k * decoder.chunkFrames;
        expect(chunk.startFrame).toBe(start);
        expect(chunk.frameCount).toBe(Math.min(decoder.chunkFrames, params.frames - start));
        expect(firstMismatch(chunk.channelData, reference, start, chunk.frameCount, params.bitsPerSample)).toBe(-1);
      }
      const last = await decoder.decodeRange(params.frames - 1, 1);
      expect(last.channelData[0][0]).toBe(reference[(params.frames - 1) * params.channels] / 2 ** (params.bitsPerSample - 1));
      await decoder.close();
    });
  },
);

describeWithFlac('concurrent calls', () => {
  it('ranges of two stems requested all at once (shared WebAssembly decoder) are each exact', async () => {
    const [a, b] = [cases[2], cases[5]];
    const [fileA, fileB] = [flacFixture(a), flacFixture(b)];
    const [refA, refB] = [referenceDecode(fileA, a.bitsPerSample), referenceDecode(fileB, b.bitsPerSample)];
    const [decoderA, decoderB] = await Promise.all([openFileDecoder(fileA), openFileDecoder(fileB)]);
    const requests = [7, 3, 11, 0, 5, 9].flatMap((second) => [
      { decoder: decoderA, params: a, reference: refA, start: second * a.sampleRate + 17 },
      { decoder: decoderB, params: b, reference: refB, start: second * b.sampleRate + 4000 },
    ]);
    const results = await Promise.all(requests.map((r) => r.decoder.decodeRange(r.start, 30000)));
    results.forEach((pcm, i) => {
      const { params, reference, start } = requests[i];
      expect(pcm.errors).toEqual([]);
      expect(firstMismatch(pcm.channelData, reference, start, 30000, params.bitsPerSample)).toBe(-1);
    });
    await Promise.all([decoderA.close(), decoderB.close()]);
  });
});

describeWithFlac('range checks', () => {
  const params = cases[0];
  it('rejects chunks and ranges outside the stream with RangeError, allows an empty range at the end', async () => {
    const decoder = await openFileDecoder(flacFixture(params));
    await expect(decoder.decodeChunk(-1)).rejects.toBeInstanceOf(RangeError);
    await expect(decoder.decodeChunk(decoder.totalChunks())).rejects.toBeInstanceOf(RangeError);
    await expect(decoder.decodeChunk(0.5)).rejects.toBeInstanceOf(RangeError);
    await expect(decoder.decodeRange(decoder.totalFrames - 1, 2)).rejects.toBeInstanceOf(RangeError);
    await expect(decoder.decodeRange(-1, 1)).rejects.toBeInstanceOf(RangeError);
    expect((await decoder.decodeRange(decoder.totalFrames, 0)).frameCount).toBe(0);
    expect(() => decoder.chunkAtPosition(-1)).toThrow(RangeError);
    expect(decoder.chunkAtPosition(0)).toBe(0);
    expect(decoder.chunkAtPosition(5)).toBe(1); // 5 s is the first frame of chunk 1
    expect(decoder.chunkAtPosition(4.99999)).toBe(0);
    expect(decoder.chunkAtPosition(1e9)).toBe(decoder.totalChunks() - 1);
    await decoder.close();
    await expect(decoder.decodeRange(0, 1)).rejects.toThrow(/closed/);
  });
});

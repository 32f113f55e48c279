import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { memorySource } from './byteSource.js';
import { ChunkDecoder } from './chunkDecoder.js';
import type { DecodedPcm } from './decodedPcm.js';
import { FlacFormatError, UnsupportedFlacError } from './errors.js';
import { derivedFixture, flacFixture, hasFlacCli, referenceDecode, referenceFrames, type FixtureParams } from './flacCli.fixture.js';
import { openFileDecoder } from './fileDecoder.js';

const describeWithFlac = hasFlacCli ? describe : describe.skip;

// 20 s of 16-bit stereo in 4096-frame blocks, no seek table: frame n holds samples [4096n, 4096(n+1)).
const params: FixtureParams = { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 20 + 999, blockSize: 4096, seekTable: false };
const BLOCK = params.blockSize;

async function decodeAll(decoder: ChunkDecoder): Promise<{ chunks: DecodedPcm[]; samples: Float32Array[] }> {
  const chunks: DecodedPcm[] = [];
  for (let k = 0; k < decoder.totalChunks(); k++) chunks.push(await decoder.decodeChunk(k));
  const total = chunks.reduce((sum, c) => sum + c.frameCount, 0);
  const samples = Array.from({ length: decoder.channels }, (_, c) => {
    const out = new Float32Array(total);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk.channelData[c].subarray(0, chunk.frameCount), at);
      at += chunk.frameCount;
    }
    return out;
  });
  return { chunks, samples };
}

/** Sample indexes (per channel) where the decode differs from the reference, as [first, last] or undefined. */
function differingSpan(samples: Float32Array[], reference: Int32Array): [number, number] | undefined {
  let first = -1;
  let last = -1;
  const channels = samples.length;
  for (let i = 0; i < samples[0].length; i++)
    for (let c = 0; c < channels; c++)
      if (samples[c][i] !== reference[i * channels + c] / 32768) {
        if (first < 0) first = i;
        last = i;
      }
  return first < 0 ? undefined : [first, last];
}

function isSilent(samples: Float32Array[], from: number, to: number): boolean {
  return samples.every((channel) => channel.subarray(from, to).every((x) => x === 0));
}

describeWithFlac('damaged audio', () => {
  let file: string;
  let reference: Int32Array;
  let frames: { offset: number; blockSize: number }[];
  beforeAll(() => {
    file = flacFixture(params);
    reference = referenceDecode(file, 16);
    frames = referenceFrames(file);
  });

  it('a frame with a bad CRC becomes silence with a crc issue; every other sample is exact', async () => {
    const damaged = derivedFixture(file, 'crc30', (bytes) => {
      const middle = Math.floor((frames[30].offset + frames[31].offset) / 2);
      bytes[middle] ^= 0x5a;
      return bytes;
    });
    const decoder = await openFileDecoder(damaged);
    const { chunks, samples } = await decodeAll(decoder);
    const issues = chunks.flatMap((c) => c.errors);
    expect(issues.map(({ kind, frame, sampleOffset }) => ({ kind, frame, sampleOffset }))).toEqual([
      { kind: 'crc', frame: 30, sampleOffset: 30 * BLOCK },
    ]);
    expect(isSilent(samples, 30 * BLOCK, 31 * BLOCK)).toBe(true);
    // Only frame 30's samples differ from the reference.
    const span = differingSpan(samples, reference)!;
    expect(span[0]).toBeGreaterThanOrEqual(30 * BLOCK);
    expect(span[1]).toBeLessThan(31 * BLOCK);
    expect(samples[0].length).toBe(params.frames);
    await decoder.close();
  });

  it('a damaged frame header loses only that frame (lost-sync); the frame before it still decodes', async () => {
    const damaged = derivedFixture(file, 'header41', (bytes) => {
      bytes[frames[41].offset + 2] ^= 0xff; // block size / sample rate byte: the CRC-8 no longer matches
      return bytes;
    });
    const decoder = await openFileDecoder(damaged);
    const { chunks, samples } = await decodeAll(decoder);
    const issues = chunks.flatMap((c) => c.errors);
    expect(issues.map(({ kind, sampleOffset }) => ({ kind, sampleOffset }))).toEqual([{ kind: 'lost-sync', sampleOffset: 41 * BLOCK }]);
    const span = differingSpan(samples, reference)!;
    expect(span[0]).toBeGreaterThanOrEqual(41 * BLOCK);
    expect(span[1]).toBeLessThan(42 * BLOCK);
    expect(isSilent(samples, 41 * BLOCK, 42 * BLOCK)).toBe(true);
    await decoder.close();
  });

  it('a truncated file: chunks before the cut are exact, the cut chunk is partial with a truncated issue', async () => {
    const cutFrame = 100;
    const truncated = derivedFixture(file, 'cut100', (bytes) => bytes.slice(0, frames[cutFrame].offset + 500));
    const decoder = await openFileDecoder(truncated);
    expect(decoder.totalFrames).toBe(params.frames); // STREAMINFO's promise
    const { chunks, samples } = await decodeAll(decoder);
    const present = cutFrame * BLOCK;
    expect(samples[0].length).toBe(present);
    expect(differingSpan(samples, reference)).toBeUndefined();
    const cutChunk = Math.floor(present / decoder.chunkFrames);
    expect(chunks[cutChunk].frameCount).toBe(present - cutChunk * decoder.chunkFrames);
    expect(chunks[cutChunk].errors.map((e) => [e.kind, e.sampleOffset])).toEqual([['truncated', present]]);
    for (const chunk of chunks.slice(cutChunk + 1)) {
      expect(chunk.frameCount).toBe(0);
      expect(chunk.errors.map((e) => e.kind)).toEqual(['truncated']);
    }
    for (const chunk of chunks.slice(0, cutChunk)) expect(chunk.errors).toEqual([]);
    await decoder.close();
  });

  it('an ID3v2 tag before fLaC and an ID3v1 tag after the audio change nothing', async () => {
    const tagged = derivedFixture(file, 'id3', (bytes) => {
      const id3v2 = new Uint8Array(10 + 3000);
      id3v2.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 3000 >> 7, 3000 & 0x7f]); // 'ID3' v2.4, sync-safe size 3000
      const id3v1 = new Uint8Array(128);
      id3v1.set([0x54, 0x41, 0x47]); // 'TAG'
      return Buffer.concat([id3v2, bytes, id3v1]);
    });
    const decoder = await openFileDecoder(tagged);
    const { chunks, samples } = await decodeAll(decoder);
    expect(chunks.flatMap((c) => c.errors)).toEqual([]);
    expect(samples[0].length).toBe(params.frames);
    expect(differingSpan(samples, reference)).toBeUndefined();
    await decoder.close();
  });

  it('random byte damage never throws untyped errors, never yields NaN, and always finishes', async () => {
    const original = new Uint8Array(readFileSync(flacFixture({ ...params, frames: 44100 * 2 })));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }), async (damage) => {
        const bytes = original.slice();
        for (const [at, xor] of damage) bytes[at] ^= xor;
        let decoder: ChunkDecoder;
        try {
          decoder = await ChunkDecoder.open(memorySource(bytes, 'fuzzed.flac'));
        } catch (error) {
          expect(error instanceof FlacFormatError || error instanceof UnsupportedFlacError).toBe(true);
          return;
        }
        const { chunks } = await decodeAll(decoder);
        for (const chunk of chunks) for (const channel of chunk.channelData) expect(channel.every(Number.isFinite)).toBe(true);
        await decoder.close();
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});

describe('not FLAC', () => {
  const cases: [string, Uint8Array, number][] = [
    ['an empty file', new Uint8Array(0), 0],
    ['text', new TextEncoder().encode('hello, this is not audio at all'), 0],
    ['only the marker', new TextEncoder().encode('fLaC'), 4],
    // marker + STREAMINFO block header announcing 34 bytes, then only 10 of them
    ['metadata cut inside STREAMINFO', new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, ...new Array(10).fill(0)]), 4],
  ];
  it.each(cases)('%s → FlacFormatError naming the file and byte offset', async (_, bytes, offset) => {
    const error = await ChunkDecoder.open(memorySource(bytes, 'bad.flac')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlacFormatError);
    expect((error as FlacFormatError).file).toBe('bad.flac');
    expect((error as FlacFormatError).offset).toBe(offset);
    expect((error as FlacFormatError).message).toMatch(/^bad\.flac: /);
  });
});

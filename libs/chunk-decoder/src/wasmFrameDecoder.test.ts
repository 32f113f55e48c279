import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR } from './conformanceCorpus.fixture.js';
import { flacFixture, hasFlacCli, referenceDecode, type FixtureParams } from './flacCli.fixture.js';
import { exactFloat, WasmFrameDecoder } from './wasmFrameDecoder.js';
import { openFileDecoder } from './fileDecoder.js';

describe('exactFloat', () => {
  it.each([8, 16, 24])('maps the package scale s/(2^(b−1)−1) to exactly s/2^(b−1) for every %i-bit integer', (bits) => {
    const full = 2 ** (bits - 1);
    const from = new Float32Array(2 * full);
    for (let s = -full; s < full; s++) from[s + full] = s / (full - 1); // the package's conversion
    const to = new Float32Array(2 * full);
    expect(exactFloat(from, 0, to, 0, 2 * full, bits)).toBe(true);
    let wrong = -1;
    for (let i = 0; i < to.length && wrong < 0; i++) if (to[i] !== (i - full) / full) wrong = i;
    expect(wrong).toBe(-1);
  });

  it('rejects NaN and Infinity', () => {
    const to = new Float32Array(1);
    expect(exactFloat(Float32Array.of(NaN), 0, to, 0, 1, 16)).toBe(false);
    expect(exactFloat(Float32Array.of(Infinity), 0, to, 0, 1, 16)).toBe(false);
  });
});

const describeWithFlac = hasFlacCli ? describe : describe.skip;
describeWithFlac('one shared WebAssembly instance across jumps and streams', () => {
  const a: FixtureParams = { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 40, blockSize: 4096, seekTable: true };
  const b: FixtureParams = { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 40, blockSize: 1152, seekTable: false };

  it('forward jumps, overlapping chunks and stream switches decode exactly, every call succeeding first time', async () => {
    // Without a fresh libFLAC state per call, each of these steps made libFLAC report missing
    // frames (and pad them with silence): measured before freshLibflacState existed.
    const shared = new WasmFrameDecoder();
    const plan: [FixtureParams, number, number][] = [
      [a, 0, 5000],
      [a, 48000 * 30, 9000], // forward jump in the same stream
      [b, 0, 3000], // another stream, smaller block size, its frame 0
      [b, 44100 * 20, 5000],
      [b, 44100 * 5 - 100, 200], // a range starting in the frame where the previous chunk ended
      [a, 48000 * 10, 5000], // backward in the first stream
      [b, 44100 * 35, 20000],
    ];
    for (const [params, start, count] of plan) {
      const file = flacFixture(params);
      const reference = referenceDecode(file, params.bitsPerSample);
      const decoder = await openFileDecoder(file, { frameDecoder: shared });
      const pcm = await decoder.decodeRange(start, count);
      await decoder.close();
      expect(pcm.errors).toEqual([]);
      const scale = 2 ** (params.bitsPerSample - 1);
      const wrong = Array.from(pcm.channelData[1]).findIndex((x, i) => x !== reference[(start + i) * 2 + 1] / scale);
      expect(wrong).toBe(-1);
    }
    expect(shared.freshStateSupported).toBe(true);
    expect(shared.failedCalls).toBe(0);
    expect(shared.instancesCreated).toBe(1);
    shared.free();
  });

  const variable = path.join(CORPUS_DIR, 'subset/26 - variable blocksize file created with CUETools.Flake 2.1.6.flac');
  (existsSync(variable) ? it : it.skip)('a forward jump in a variable-block-size stream (sample-numbered frames) too', async () => {
    const shared = new WasmFrameDecoder();
    const decoder = await openFileDecoder(variable, { frameDecoder: shared });
    const whole = await decoder.decodeRange(0, decoder.totalFrames);
    for (const [start, count] of [
      [0, 3000],
      [600_000, 9000],
      [1_000_000, 5000],
    ]) {
      const pcm = await decoder.decodeRange(start, count);
      expect(pcm.errors).toEqual([]);
      expect(pcm.channelData[0]).toEqual(whole.channelData[0].subarray(start, start + count));
    }
    await decoder.close();
    expect(shared.failedCalls).toBe(0);
    expect(shared.instancesCreated).toBe(1);
    shared.free();
  });
});

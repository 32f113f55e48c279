import { describe, expect, it } from '@jest/globals';
import pkg from '@alexanderolsen/libsamplerate-js';
import fc from 'fast-check';
import { flacFixture, hasFlacCli, referenceDecode, type FixtureParams } from './flacCli.fixture.js';
import type { ResampleQuality } from './resamplePlan.js';
import { binLevels, worstSpur } from './spectrum.fixture.js';
import { openFileDecoder } from './fileDecoder.js';

const { create, ConverterType } = pkg;

const describeWithFlac = hasFlacCli ? describe : describe.skip;

const TOLERANCE = 1e-5;
const QUALITY_TYPES = { fastest: ConverterType.SRC_SINC_FASTEST, medium: ConverterType.SRC_SINC_MEDIUM_QUALITY, best: ConverterType.SRC_SINC_BEST_QUALITY };

/**
 * The one-pass truth: the reference decoder's whole stream through ONE fresh libsamplerate
 * converter (its own instance, not the decoder's), followed by zeros until it has released every
 * output frame, cut to ⌈frames·out/in⌉.
 */
async function onePass(reference: Int32Array, params: FixtureParams, outRate: number, quality: ResampleQuality): Promise<Float32Array[]> {
  const { channels, sampleRate, bitsPerSample } = params;
  const converter = await create(channels, sampleRate, outRate, { converterType: QUALITY_TYPES[quality] });
  const frames = reference.length / channels;
  const total = Math.ceil((frames * outRate) / sampleRate);
  const out = Array.from({ length: channels }, () => new Float32Array(total));
  const block = 8192;
  let produced = 0;
  for (let at = 0; produced < total; at += block) {
    const input = new Float32Array(block * channels);
    for (let i = 0; i < block * channels && at * channels + i < reference.length; i++) input[i] = reference[at * channels + i] / 2 ** (bitsPerSample - 1);
    const result = converter.full(input);
    for (let i = 0; i < result.length / channels && produced + i < total; i++)
      for (let c = 0; c < channels; c++) out[c][produced + i] = result[i * channels + c];
    produced += result.length / channels;
  }
  converter.destroy();
  return out;
}

function maxDifference(channelData: Float32Array[], truth: Float32Array[], start: number, count: number): number {
  let worst = 0;
  for (let c = 0; c < channelData.length; c++)
    for (let i = 0; i < count; i++) worst = Math.max(worst, Math.abs(channelData[c][i] - truth[c][start + i]));
  return worst;
}

const conversions: [string, FixtureParams, number][] = [
  ['44.1 → 48 kHz', { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 12 + 321, blockSize: 4096, seekTable: true }, 48000],
  ['48 → 44.1 kHz', { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 12 + 321, blockSize: 4096, seekTable: false }, 44100],
];

describeWithFlac.each(conversions)('resampling %s', (_, params, outRate) => {
  it('every chunk (2 s, cold and in order) equals the one-pass resample within 1e-5, so no step at boundaries', async () => {
    const reference = referenceDecode(flacFixture(params), params.bitsPerSample);
    const truth = await onePass(reference, params, outRate, 'fastest');
    const decoder = await openFileDecoder(flacFixture(params), { outputSampleRate: outRate, chunkSeconds: 2 });
    expect(decoder.outputSampleRate).toBe(outRate);
    expect(decoder.totalFrames).toBe(truth[0].length);
    expect(decoder.chunkFrames).toBe(2 * outRate);
    let frames = 0;
    // In reverse order, so no chunk can lean on state left by the one before it.
    for (let k = decoder.totalChunks() - 1; k >= 0; k--) {
      const chunk = await decoder.decodeChunk(k);
      expect(chunk.sampleRate).toBe(outRate);
      expect(chunk.startFrame).toBe(k * decoder.chunkFrames);
      expect(chunk.frameCount).toBe(Math.min(decoder.chunkFrames, decoder.totalFrames - chunk.startFrame));
      expect(maxDifference(chunk.channelData, truth, chunk.startFrame, chunk.frameCount)).toBeLessThanOrEqual(TOLERANCE);
      frames += chunk.frameCount;
    }
    expect(frames).toBe(decoder.totalFrames);
    await decoder.close();
  });

  it('random ranges decoded cold match the one-pass resample', async () => {
    const reference = referenceDecode(flacFixture(params), params.bitsPerSample);
    const truth = await onePass(reference, params, outRate, 'fastest');
    const total = truth[0].length;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: total - 1 }), fc.integer({ min: 1, max: 20000 }), async (start, length) => {
        const count = Math.min(length, total - start);
        const decoder = await openFileDecoder(flacFixture(params), { outputSampleRate: outRate });
        const pcm = await decoder.decodeRange(start, count);
        await decoder.close();
        expect(pcm.frameCount).toBe(count);
        expect(maxDifference(pcm.channelData, truth, start, count)).toBeLessThanOrEqual(TOLERANCE);
      }),
      { seed: 42, numRuns: 15 },
    );
  });

  it.each(['medium', 'best'] as const)('with %s quality too (its longer filter gets a longer pre-roll)', async (quality) => {
    const reference = referenceDecode(flacFixture(params), params.bitsPerSample);
    const truth = await onePass(reference, params, outRate, quality);
    const total = truth[0].length;
    for (const start of [0, 12345, Math.floor(total / 2) + 7, total - 3000]) {
      const decoder = await openFileDecoder(flacFixture(params), { outputSampleRate: outRate, resampleQuality: quality });
      const pcm = await decoder.decodeRange(start, 3000);
      await decoder.close();
      expect(maxDifference(pcm.channelData, truth, start, 3000)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

describeWithFlac('resampling quality', () => {
  // Coherent sampling: 65536 output frames hold a whole number of periods of a sine at bin 1365
  // of 48 kHz (999.76 Hz) or bin 1486 of 44.1 kHz (999.95 Hz), so the sine sits in one bin and
  // every other bin shows only what the resampler (and 24-bit quantisation, ~−150 dBFS) added.
  const N = 65536;
  it.each([
    [44100, 48000],
    [48000, 44100],
  ])('a 1 kHz sine at −1 dBFS, %i → %i Hz, default quality: no artefact above −90 dBFS', async (inRate, outRate) => {
    const bin = Math.round((1000 * N) / outRate);
    const file = flacFixture({
      sampleRate: inRate, channels: 1, bitsPerSample: 24, frames: inRate * 3, blockSize: 4096, seekTable: true,
      signal: 'sine', sineHz: (bin * outRate) / N, sineLevel: 0.89,
    });
    const decoder = await openFileDecoder(file, { outputSampleRate: outRate });
    expect(decoder.resampleQuality).toBe('fastest');
    const pcm = await decoder.decodeRange(outRate, N); // one second in: away from the start
    const levels = binLevels(pcm.channelData[0]);
    expect(levels[bin]).toBeCloseTo(20 * Math.log10(0.89), 1);
    const [, worst] = worstSpur(levels, bin, 2);
    // Measured: −111 dBFS (48→44.1) and −128 dBFS (44.1→48) with 'fastest'.
    expect(worst).toBeLessThan(-90);
    await decoder.close();
  });
});

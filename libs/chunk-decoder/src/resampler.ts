import pkg from '@alexanderolsen/libsamplerate-js';
import type { ResampleQuality } from './resamplePlan.js';
import type { Frames } from './units.js';

// The package is CommonJS: its named exports are reached through the default import.
const { create, ConverterType } = pkg;
type Converter = Awaited<ReturnType<typeof create>>;

const CONVERTER_TYPES: Record<ResampleQuality, number> = {
  best: ConverterType.SRC_SINC_BEST_QUALITY,
  medium: ConverterType.SRC_SINC_MEDIUM_QUALITY,
  fastest: ConverterType.SRC_SINC_FASTEST,
};

/**
 * Frames per `full()` call. The package copies each call's input into a fixed 4 MB buffer and,
 * above that, splits it itself into rate/10-frame pieces, which cut frames apart when rate/10 is
 * fractional (35467 Hz); 8192 stereo frames stay far below.
 */
const FEED_FRAMES = 8192;

/**
 * libsamplerate converters, one per (channels, rates, quality) in this thread, shared: creating
 * one costs ~5 ms (measured) and resetting one ~0.2 ms. A conversion runs synchronously from
 * reset to last output, so streams sharing a converter cannot interleave.
 */
export class Resampler {
  private static readonly pool = new Map<string, Promise<Converter>>();
  private constructor(private readonly converter: Converter, readonly quality: ResampleQuality) {}

  static async get(channels: number, inRate: number, outRate: number, quality: ResampleQuality): Promise<Resampler> {
    const key = `${channels}:${inRate}:${outRate}:${quality}`;
    let converter = Resampler.pool.get(key);
    if (!converter) {
      converter = create(channels, inRate, outRate, { converterType: CONVERTER_TYPES[quality] as 0 | 1 | 2 });
      Resampler.pool.set(key, converter);
      converter.catch(() => Resampler.pool.delete(key));
    }
    return new Resampler(await converter, quality);
  }

  /**
   * Resamples planar `input` (`inputFrames` long, followed by zeros up to `paddedFrames`) with a
   * fresh converter state, returning output frames
   * `[discard, discard + count)` of that conversion — see `planResample`.
   */
  convert(input: Float32Array[], inputFrames: Frames, paddedFrames: Frames, discard: Frames, count: Frames): Float32Array[] {
    const channels = input.length;
    const converter = this.converter;
    // Setting the converter type re-creates libsamplerate's state: a cold start (measured:
    // identical output to a new converter).
    const type = converter.converterType;
    converter.converterType = type;
    const output = Array.from({ length: channels }, () => new Float32Array(count));
    const interleaved = new Float32Array(FEED_FRAMES * channels);
    let produced = 0; // output frames of this conversion so far
    for (let at = 0; at < paddedFrames && produced < discard + count; at += FEED_FRAMES) {
      const frames = Math.min(FEED_FRAMES, paddedFrames - at);
      const block = interleaved.subarray(0, frames * channels);
      block.fill(0);
      const real = Math.max(0, Math.min(frames, inputFrames - at));
      for (let c = 0; c < channels; c++) {
        const channel = input[c];
        for (let i = 0; i < real; i++) block[i * channels + c] = channel[at + i];
      }
      const out = converter.full(block);
      const outFrames = out.length / channels;
      // Keep the part of this block's output inside [discard, discard + count).
      const from = Math.max(0, discard - produced);
      const to = Math.min(outFrames, discard + count - produced);
      for (let i = from; i < to; i++) {
        const target = produced + i - discard;
        for (let c = 0; c < channels; c++) output[c][target] = out[i * channels + c];
      }
      produced += outFrames;
    }
    if (produced < discard + count)
      throw new Error(`resampler produced ${produced - discard} of ${count} frames: post-roll too short`);
    return output;
  }
}


import { openFileDecoder } from '@trax/chunk-decoder/node';
import type { WholeStem, WholeStemDecoder } from '../ports/WholeStemDecoder.js';

/** Decode step: progress is reported, and an abort takes effect, every 5 s of audio. */
const STEP_SECONDS = 5;

/**
 * The default legacy decoder ("decode everything first", plan "Feature Flag") over
 * `@trax/chunk-decoder`: a stem decoded whole into memory at the engine's rate, step by step so
 * that progress is reported and an abort stops it within one step.
 *
 * @example
 * const engine = createEngine({ loader, legacyDecoder: chunkDecoderWholeStem });
 */
export const chunkDecoderWholeStem: WholeStemDecoder = {
  async decode(stem, { signal, sampleRate, onProgress }): Promise<WholeStem> {
    const decoder = await openFileDecoder(stem.path, { outputSampleRate: sampleRate });
    try {
      const total = decoder.totalFrames;
      const channelData = Array.from({ length: decoder.channels }, () => new Float32Array(total));
      const step = STEP_SECONDS * sampleRate;
      for (let frame = 0; frame < total; ) {
        signal.throwIfAborted();
        const pcm = await decoder.decodeRange(frame, Math.min(step, total - frame));
        if (pcm.frameCount === 0) break;
        pcm.channelData.forEach((data, c) => channelData[c].set(data.subarray(0, pcm.frameCount), frame));
        frame += pcm.frameCount;
        onProgress?.({ decodedFrames: frame, totalFrames: total });
      }
      return { channelData, sampleRate, totalFrames: total };
    } finally {
      await decoder.close();
    }
  },
};

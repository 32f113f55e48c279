import { ChunkDecoder } from '@trax/chunk-decoder';
import type { WholeStem, WholeStemDecoder } from '@trax/engine-machines';

/** Decode step: one 5 s chunk at a time, so progress is reported and an abort stops within a chunk. */
const STEP_SECONDS = 5;

/**
 * The legacy "decode everything first" path (plan: Feature Flag) over @trax/chunk-decoder: every
 * stem decoded whole into memory at the engine's rate, with progress, stopping early on abort.
 */
export const chunkDecoderLegacy: WholeStemDecoder = {
  async decode(stem, { signal, sampleRate, onProgress }): Promise<WholeStem> {
    const decoder = await ChunkDecoder.open(stem.path, { outputSampleRate: sampleRate });
    try {
      const total = decoder.totalFrames;
      const channelData = Array.from({ length: decoder.channels }, () => new Float32Array(total));
      const step = STEP_SECONDS * sampleRate;
      for (let frame = 0; frame < total; frame += step) {
        signal.throwIfAborted();
        const pcm = await decoder.decodeRange(frame, Math.min(step, total - frame));
        pcm.channelData.forEach((data, c) => channelData[c].set(data.subarray(0, pcm.frameCount), frame));
        onProgress?.({ decodedFrames: frame + pcm.frameCount, totalFrames: total });
        if (pcm.frameCount === 0) break;
      }
      return { channelData, sampleRate, totalFrames: total };
    } finally {
      await decoder.close();
    }
  },
};

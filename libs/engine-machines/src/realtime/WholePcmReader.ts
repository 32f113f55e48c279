import type { Frames } from '../units.js';
import type { PcmReader } from './PcmReader.js';

/**
 * A stem held whole in memory (legacy mode, "decode everything first"): every frame is available.
 * Read on the audio thread; no allocation.
 */
export class WholePcmReader implements PcmReader {
  readonly totalFrames: Frames;

  constructor(readonly channelData: readonly Float32Array[]) {
    this.totalFrames = channelData.length > 0 ? channelData[0].length : 0;
  }

  framesAvailableAt(position: Frames): Frames {
    return position >= 0 && position < this.totalFrames ? this.totalFrames - position : 0;
  }

  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames): Frames {
    const from = Math.max(0, Math.min(position, this.totalFrames));
    const to = Math.max(from, Math.min(position + frames, this.totalFrames));
    const lead = Math.min(frames, Math.max(0, from - position));
    for (let c = 0; c < this.channelData.length; c++) {
      const dst = out[c];
      if (lead > 0) dst.fill(0, offset, offset + lead);
      // A copy loop, not set(subarray()): subarray allocates a view object on every call.
      const src = this.channelData[c];
      for (let i = from, j = offset + lead; i < to; i++, j++) dst[j] = src[i];
      const written = lead + (to - from);
      if (written < frames) dst.fill(0, offset + written, offset + frames);
    }
    return frames - (to - from);
  }

  /** Bytes held (4 per sample). */
  get bytes(): number {
    return this.totalFrames * this.channelData.length * 4;
  }
}

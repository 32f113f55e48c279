import { FlacEncodeError } from './FlacEncodeError.js';
import type { Md5, Md5Factory } from './md5.js';

/**
 * Feeds PCM to MD5 the way FLAC's STREAMINFO defines it (interleaved, little-endian, signed,
 * ceil(bps / 8) bytes per sample) and checks every sample fits the bit depth on the way, since
 * that loop touches each sample anyway. The MD5 itself is the caller's choice (the `md5` option).
 */
export class PcmHasher {
  private readonly hash: Md5;
  private readonly bytesPerSample: number;
  private readonly min: number;
  private readonly max: number;
  private scratch = new Uint8Array(0);

  constructor(
    private readonly bitsPerSample: number,
    md5: Md5Factory,
  ) {
    this.hash = md5();
    this.bytesPerSample = Math.ceil(bitsPerSample / 8);
    this.max = 2 ** (bitsPerSample - 1) - 1;
    this.min = -(2 ** (bitsPerSample - 1));
  }

  /** Hashes samples `[start, start + n)`; `firstSampleIndex` is their position in the stream, for errors. */
  update(channels: readonly Int32Array[], start: number, n: number, firstSampleIndex: number): void {
    const width = this.bytesPerSample;
    const needed = n * channels.length * width;
    if (this.scratch.length < needed) this.scratch = new Uint8Array(needed);
    const out = this.scratch;
    const { min, max } = this;
    const stride = channels.length * width;
    // One loop per sample width: a width test inside the loop would run for every sample.
    for (let c = 0; c < channels.length; c++) {
      const x = channels[c];
      let p = c * width;
      const end = start + n;
      if (width === 3) {
        for (let i = start; i < end; i++, p += stride) {
          const v = x[i];
          if (v < min || v > max) this.outOfRange(c, firstSampleIndex + i - start, v);
          out[p] = v;
          out[p + 1] = v >> 8;
          out[p + 2] = v >> 16;
        }
      } else if (width === 2) {
        for (let i = start; i < end; i++, p += stride) {
          const v = x[i];
          if (v < min || v > max) this.outOfRange(c, firstSampleIndex + i - start, v);
          out[p] = v;
          out[p + 1] = v >> 8;
        }
      } else {
        for (let i = start; i < end; i++, p += stride) {
          const v = x[i];
          if (v < min || v > max) this.outOfRange(c, firstSampleIndex + i - start, v);
          out[p] = v;
        }
      }
    }
    this.hash.update(out.subarray(0, needed));
  }

  /** Lowercase hex digest; the hasher cannot be used afterwards. */
  digest(): string {
    return this.hash.digestHex();
  }

  private outOfRange(channel: number, sampleIndex: number, value: number): never {
    throw new FlacEncodeError(
      'channels',
      `sample ${sampleIndex} of channel ${channel} is ${value}, outside the ${this.bitsPerSample}-bit range ${this.min}..${this.max}`,
      { channel, sampleIndex },
    );
  }
}

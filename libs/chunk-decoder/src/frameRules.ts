import type { FrameHeader } from './frameHeader.js';
import type { StreamInfo } from './streamInfo.js';
import type { Frames } from './units.js';

/**
 * How a stream numbers its frames, and which headers can belong to it. Built from STREAMINFO and
 * the first frame; used to turn a header into a sample position and to reject false sync codes.
 */
export class FrameRules {
  /** Largest block size a frame of this stream may have. */
  readonly maxBlockSize: Frames;

  /**
   * @param numbering `'frame'`: fixed block size, the header carries a frame number (sample =
   *   number × `nominalBlockSize`). `'sample'`: the header carries the first sample number — the
   *   variable-block-size bit, or old Flake streams that vary the block size without setting it.
   * @param nominalBlockSize block size of every frame but the last in a `'frame'`-numbered stream
   *   (the first frame's; STREAMINFO's can be wrong, see faulty/01).
   */
  constructor(
    readonly streamInfo: StreamInfo,
    readonly variableBlockSizeBit: boolean,
    readonly numbering: 'frame' | 'sample',
    readonly nominalBlockSize: Frames,
  ) {
    // FLAC's 16-bit field caps STREAMINFO at 65535, frame headers at 65536 (faulty/08 uses it).
    this.maxBlockSize =
      numbering === 'frame' ? nominalBlockSize : Math.max(streamInfo.maxBlockSize || 65536, nominalBlockSize);
  }

  /** First sample (per channel) of the frame with this header. */
  sampleOf(header: FrameHeader): Frames {
    return this.numbering === 'sample' ? header.codedNumber : header.codedNumber * this.nominalBlockSize;
  }

  /** Why a header's channels, rate or bit depth disagree with STREAMINFO, or `undefined`. */
  static parameterMismatch(info: StreamInfo, header: FrameHeader): string | undefined {
    if (header.channels !== info.channels) return `${header.channels} channels, STREAMINFO says ${info.channels}`;
    if (header.bitsPerSample !== undefined && header.bitsPerSample !== info.bitsPerSample)
      return `${header.bitsPerSample}-bit samples, STREAMINFO says ${info.bitsPerSample}`;
    if (header.sampleRate !== undefined && header.sampleRate !== info.sampleRate)
      return `${header.sampleRate} Hz, STREAMINFO says ${info.sampleRate}`;
    return undefined;
  }

  /** Whether a CRC-valid header is consistent with this stream (else: a false sync code). */
  isPlausible(header: FrameHeader): boolean {
    const info = this.streamInfo;
    return (
      header.variableBlockSize === this.variableBlockSizeBit &&
      header.channels === info.channels &&
      (header.sampleRate === undefined || header.sampleRate === info.sampleRate) &&
      (header.bitsPerSample === undefined || header.bitsPerSample === info.bitsPerSample) &&
      header.blockSize <= this.maxBlockSize
    );
  }

  /**
   * Upper bound on the encoded size of a frame with this header: a verbatim encoding (every
   * sample stored raw, the side channel with one extra bit) plus subframe headers, wasted-bits
   * codes and the CRC-16. Encoders fall back to verbatim when prediction would be larger.
   */
  maxFrameBytes(blockSize: Frames = this.maxBlockSize): number {
    const bits = this.streamInfo.bitsPerSample + 1;
    const verbatim = 16 + 2 + this.streamInfo.channels * (Math.ceil((blockSize * bits) / 8) + 8);
    return Math.max(verbatim, this.streamInfo.maxFrameSize);
  }
}

import type { BitWriter } from './BitWriter.js';
import { crc16 } from './crc.js';
import { analyzeFixed } from './fixedPredictor.js';
import { CHANNELS_LEFT_SIDE, CHANNELS_MID_SIDE, CHANNELS_RIGHT_SIDE, writeFrameHeader } from './frameHeader.js';
import { estimateSubframeBits, SubframeEncoder } from './SubframeEncoder.js';

/** The stream-wide parameters every frame shares. */
export interface FrameFormat {
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly sampleRate: number;
}

/**
 * Encodes one FLAC frame from planar PCM. For stereo it picks, per frame, the cheapest of
 * left/right, left/side, right/side and mid/side, judged from the fixed-predictor error sums
 * of all four signals (one cheap pass each) before coding only the chosen pair.
 */
export class FrameEncoder {
  private readonly subframes: SubframeEncoder;
  private readonly side: Int32Array;
  private readonly mid: Int32Array;

  constructor(
    private readonly format: FrameFormat,
    maxBlockSize: number,
  ) {
    this.subframes = new SubframeEncoder(maxBlockSize);
    this.side = new Int32Array(format.channels === 2 ? maxBlockSize : 0);
    this.mid = new Int32Array(format.channels === 2 ? maxBlockSize : 0);
  }

  /** Appends the frame for samples `[start, start + n)` of every channel; returns its size in bytes. */
  encode(out: BitWriter, channels: readonly Int32Array[], start: number, n: number, frameNumber: number): number {
    const { bitsPerSample, sampleRate } = this.format;
    // Worst case: a 16-byte header, every subframe VERBATIM at bps + 1 (side) with a few header
    // bytes (wasted-bits unary code included), and the CRC-16.
    out.ensureCapacity(32 + channels.length * (8 + Math.ceil((n * (bitsPerSample + 1)) / 8)));
    const frameStart = out.pos;
    if (channels.length === 2) {
      this.encodeStereo(out, channels[0], channels[1], start, n, frameNumber);
    } else {
      writeFrameHeader(out, frameNumber, n, sampleRate, channels.length - 1, bitsPerSample);
      for (const channel of channels) this.subframes.encode(out, channel, start, n, bitsPerSample);
    }
    out.alignToByte();
    out.writeBits(crc16(out.bytes, frameStart, out.pos), 16);
    return out.pos - frameStart;
  }

  private encodeStereo(out: BitWriter, left: Int32Array, right: Int32Array, start: number, n: number, frameNumber: number): void {
    const { bitsPerSample, sampleRate } = this.format;
    const { side, mid } = this;
    for (let i = 0; i < n; i++) {
      const l = left[start + i];
      const r = right[start + i];
      side[i] = l - r;
      mid[i] = (l + r) >> 1; // the decoder restores the dropped bit from side's parity
    }
    const aLeft = analyzeFixed(left, start, n);
    const aRight = analyzeFixed(right, start, n);
    const aSide = analyzeFixed(side, 0, n);
    const aMid = analyzeFixed(mid, 0, n);
    const bLeft = estimateSubframeBits(aLeft, n, bitsPerSample);
    const bRight = estimateSubframeBits(aRight, n, bitsPerSample);
    const bSide = estimateSubframeBits(aSide, n, bitsPerSample + 1);
    const bMid = estimateSubframeBits(aMid, n, bitsPerSample);

    const independent = bLeft + bRight;
    const leftSide = bLeft + bSide;
    const rightSide = bSide + bRight;
    const midSide = bMid + bSide;
    const best = Math.min(independent, leftSide, rightSide, midSide);
    const sub = this.subframes;
    if (best === independent) {
      writeFrameHeader(out, frameNumber, n, sampleRate, 1, bitsPerSample);
      sub.encode(out, left, start, n, bitsPerSample, aLeft);
      sub.encode(out, right, start, n, bitsPerSample, aRight);
    } else if (best === leftSide) {
      writeFrameHeader(out, frameNumber, n, sampleRate, CHANNELS_LEFT_SIDE, bitsPerSample);
      sub.encode(out, left, start, n, bitsPerSample, aLeft);
      sub.encode(out, side, 0, n, bitsPerSample + 1, aSide);
    } else if (best === rightSide) {
      writeFrameHeader(out, frameNumber, n, sampleRate, CHANNELS_RIGHT_SIDE, bitsPerSample);
      sub.encode(out, side, 0, n, bitsPerSample + 1, aSide);
      sub.encode(out, right, start, n, bitsPerSample, aRight);
    } else {
      writeFrameHeader(out, frameNumber, n, sampleRate, CHANNELS_MID_SIDE, bitsPerSample);
      sub.encode(out, mid, 0, n, bitsPerSample, aMid);
      sub.encode(out, side, 0, n, bitsPerSample + 1, aSide);
    }
  }
}

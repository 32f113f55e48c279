import type { Frames } from './units.js';

/** The STREAMINFO metadata block, as stored (values may be 0 = unknown where FLAC allows it). */
export interface StreamInfo {
  readonly minBlockSize: Frames;
  readonly maxBlockSize: Frames;
  /** Bytes; 0 = unknown. */
  readonly minFrameSize: number;
  /** Bytes; 0 = unknown. */
  readonly maxFrameSize: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Per channel; 0 = unknown. */
  readonly totalSamples: Frames;
  /** MD5 of the decoded PCM, lowercase hex (all zeros = not computed by the encoder). */
  readonly md5: string;
}

/** Size of the STREAMINFO block body in bytes. */
export const STREAMINFO_LENGTH = 34;

/** Parses the 34-byte STREAMINFO body at `bytes[at]`. */
export function parseStreamInfo(bytes: Uint8Array, at: number): StreamInfo {
  const b = (i: number) => bytes[at + i];
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channels = ((b(12) >> 1) & 0x07) + 1;
  const bitsPerSample = (((b(12) & 0x01) << 4) | (b(13) >> 4)) + 1;
  // 36-bit sample count: 4 high bits then 32 low bits (kept in a double: exact below 2^53).
  const totalSamples = (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + ((b(15) << 16) | (b(16) << 8) | b(17));
  let md5 = '';
  for (let i = 18; i < 34; i++) md5 += b(i).toString(16).padStart(2, '0');
  return {
    minBlockSize: (b(0) << 8) | b(1),
    maxBlockSize: (b(2) << 8) | b(3),
    minFrameSize: (b(4) << 16) | (b(5) << 8) | b(6),
    maxFrameSize: (b(7) << 16) | (b(8) << 8) | b(9),
    sampleRate,
    channels,
    bitsPerSample,
    totalSamples,
    md5,
  };
}

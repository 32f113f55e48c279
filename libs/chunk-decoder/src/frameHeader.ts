import { crc8 } from './crc.js';
import type { Frames } from './units.js';

/** A parsed, CRC-8-checked FLAC frame header. */
export interface FrameHeader {
  /** Blocking-strategy bit: 1 = variable block size, and `codedNumber` is a sample number. */
  readonly variableBlockSize: boolean;
  /** Frame number (fixed block size) or first sample number (variable), as coded. */
  readonly codedNumber: number;
  readonly blockSize: Frames;
  /** Hz; `undefined` when the header says "see STREAMINFO". */
  readonly sampleRate: number | undefined;
  readonly channels: number;
  /** 0–7 independent channels, 8 left/side, 9 right/side, 10 mid/side. */
  readonly channelAssignment: number;
  /** `undefined` when the header says "see STREAMINFO". */
  readonly bitsPerSample: number | undefined;
  /** Header length in bytes, CRC-8 included. */
  readonly length: number;
}

/** Longest possible header: 4 fixed bytes + 7 coded-number bytes + 2 + 2 optional + CRC-8. */
export const MAX_FRAME_HEADER_BYTES = 16;
/** Shortest possible frame: 6-byte header, one 1-byte constant subframe... plus the CRC-16. */
export const MIN_FRAME_BYTES = 10;

const SAMPLE_RATES = [undefined, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const BITS_PER_SAMPLE = [undefined, 8, 12, -1, 16, 20, 24, 32];

/**
 * Parses the frame header at `bytes[at]` (which must start with the sync code 0xFFF8/0xFFF9).
 * Returns `undefined` unless every reserved field is valid and the CRC-8 matches, so a random
 * 0xFFF8 inside audio data is rejected with probability about 1 − 2⁻⁸ by the CRC alone.
 * Reads nothing beyond `end`.
 */
export function parseFrameHeader(bytes: Uint8Array, at: number, end: number = bytes.length): FrameHeader | undefined {
  if (end - at < 6 || bytes[at] !== 0xff || (bytes[at + 1] & 0xfe) !== 0xf8) return undefined;
  const variableBlockSize = (bytes[at + 1] & 0x01) !== 0;
  const blockCode = bytes[at + 2] >> 4;
  const rateCode = bytes[at + 2] & 0x0f;
  const channelAssignment = bytes[at + 3] >> 4;
  const depthCode = (bytes[at + 3] >> 1) & 0x07;
  if (blockCode === 0 || rateCode === 15 || channelAssignment > 10 || depthCode === 3 || (bytes[at + 3] & 1) !== 0)
    return undefined;

  // UTF-8-style coded number: 1 to 6 bytes (frame number, 31 bits) or 7 (sample number, 36 bits).
  let p = at + 4;
  const lead = bytes[p++];
  let extra: number;
  let codedNumber: number;
  if (lead < 0x80) [extra, codedNumber] = [0, lead];
  else if (lead >= 0xc0 && lead < 0xe0) [extra, codedNumber] = [1, lead & 0x1f];
  else if (lead >= 0xe0 && lead < 0xf0) [extra, codedNumber] = [2, lead & 0x0f];
  else if (lead >= 0xf0 && lead < 0xf8) [extra, codedNumber] = [3, lead & 0x07];
  else if (lead >= 0xf8 && lead < 0xfc) [extra, codedNumber] = [4, lead & 0x03];
  else if (lead >= 0xfc && lead < 0xfe) [extra, codedNumber] = [5, lead & 0x01];
  else if (lead === 0xfe && variableBlockSize) [extra, codedNumber] = [6, 0];
  else return undefined;
  if (p + extra > end) return undefined;
  for (let i = 0; i < extra; i++) {
    const byte = bytes[p++];
    if ((byte & 0xc0) !== 0x80) return undefined;
    codedNumber = codedNumber * 64 + (byte & 0x3f); // multiply, not shift: up to 36 bits
  }

  let blockSize: number;
  if (blockCode === 1) blockSize = 192;
  else if (blockCode <= 5) blockSize = 576 << (blockCode - 2);
  else if (blockCode === 6) {
    if (p + 1 > end) return undefined;
    blockSize = bytes[p++] + 1;
  } else if (blockCode === 7) {
    if (p + 2 > end) return undefined;
    blockSize = ((bytes[p] << 8) | bytes[p + 1]) + 1;
    p += 2;
  } else blockSize = 256 << (blockCode - 8);

  let sampleRate: number | undefined;
  if (rateCode < 12) sampleRate = SAMPLE_RATES[rateCode];
  else {
    const size = rateCode === 12 ? 1 : 2;
    if (p + size > end) return undefined;
    const value = size === 1 ? bytes[p] : (bytes[p] << 8) | bytes[p + 1];
    p += size;
    sampleRate = rateCode === 12 ? value * 1000 : rateCode === 13 ? value : value * 10;
    if (sampleRate === 0) return undefined;
  }

  if (p + 1 > end || crc8(bytes, at, p) !== bytes[p]) return undefined;
  return {
    variableBlockSize,
    codedNumber,
    blockSize,
    sampleRate,
    channels: channelAssignment < 8 ? channelAssignment + 1 : 2,
    channelAssignment,
    bitsPerSample: BITS_PER_SAMPLE[depthCode],
    length: p + 1 - at,
  };
}

/** True when the header takes its sample rate or bit depth from STREAMINFO (codes 0). */
export function needsStreamInfo(header: FrameHeader): boolean {
  return header.sampleRate === undefined || header.bitsPerSample === undefined;
}

import type { BitWriter } from './BitWriter.js';
import { crc8 } from './crc.js';

/** Channel assignment codes of the frame header: 0..7 = n+1 independent channels, then the stereo modes. */
export const CHANNELS_LEFT_SIDE = 0b1000;
export const CHANNELS_RIGHT_SIDE = 0b1001;
export const CHANNELS_MID_SIDE = 0b1010;

// Sample rates with a 4-bit code of their own (others go in an 8/16-bit field after the header).
const SAMPLE_RATE_CODES = new Map<number, number>([
  [88200, 0b0001], [176400, 0b0010], [192000, 0b0011], [8000, 0b0100], [16000, 0b0101], [22050, 0b0110],
  [24000, 0b0111], [32000, 0b1000], [44100, 0b1001], [48000, 0b1010], [96000, 0b1011],
]);
// Bit depths with a 3-bit code; any other depth is coded 000 = "as in STREAMINFO".
const SAMPLE_SIZE_CODES = new Map<number, number>([[8, 0b001], [12, 0b010], [16, 0b100], [20, 0b101], [24, 0b110]]);

/**
 * Writes a fixed-blocksize frame header (sync 0xFFF8, frame number in FLAC's UTF-8-like code)
 * and its CRC-8. `out` must be byte-aligned.
 */
export function writeFrameHeader(
  out: BitWriter,
  frameNumber: number,
  blockSize: number,
  sampleRate: number,
  channelAssignment: number,
  bitsPerSample: number,
): void {
  const start = out.pos;
  out.writeBits(0xfff8, 16); // 14-bit sync, reserved 0, blocking strategy 0 (fixed)

  const block = blockSizeCode(blockSize);
  const rate = sampleRateCode(sampleRate);
  out.writeBits((block.code << 4) | rate.code, 8);
  out.writeBits((channelAssignment << 4) | ((SAMPLE_SIZE_CODES.get(bitsPerSample) ?? 0) << 1), 8);
  writeUtf8Number(out, frameNumber);
  if (block.extraBits) out.writeBits(blockSize - 1, block.extraBits);
  if (rate.extraBits) out.writeBits(rate.extraValue, rate.extraBits);
  out.writeBits(crc8(out.bytes, start, out.pos), 8);
}

/** 4-bit block size code, plus 0/8/16 bits of (blockSize - 1) after the frame number for sizes without a code. */
function blockSizeCode(blockSize: number): { code: number; extraBits: number } {
  if (blockSize === 192) return { code: 0b0001, extraBits: 0 };
  if ([576, 1152, 2304, 4608].includes(blockSize)) return { code: 2 + Math.log2(blockSize / 576), extraBits: 0 };
  if (blockSize >= 256 && blockSize <= 32768 && (blockSize & (blockSize - 1)) === 0) return { code: 8 + Math.log2(blockSize / 256), extraBits: 0 };
  return blockSize <= 256 ? { code: 0b0110, extraBits: 8 } : { code: 0b0111, extraBits: 16 };
}

/** 4-bit sample rate code, plus an 8-bit kHz, 16-bit Hz or 16-bit tens-of-Hz field for rates without a code. */
function sampleRateCode(sampleRate: number): { code: number; extraBits: number; extraValue: number } {
  const code = SAMPLE_RATE_CODES.get(sampleRate);
  if (code !== undefined) return { code, extraBits: 0, extraValue: 0 };
  if (sampleRate % 1000 === 0 && sampleRate <= 255000) return { code: 0b1100, extraBits: 8, extraValue: sampleRate / 1000 };
  if (sampleRate <= 65535) return { code: 0b1101, extraBits: 16, extraValue: sampleRate };
  if (sampleRate % 10 === 0 && sampleRate <= 655350) return { code: 0b1110, extraBits: 16, extraValue: sampleRate / 10 };
  return { code: 0b0000, extraBits: 0, extraValue: 0 }; // take it from STREAMINFO
}

/** FLAC codes frame numbers like UTF-8 code points (1 to 6 bytes for the 31 bits a fixed-blocksize stream uses). */
function writeUtf8Number(out: BitWriter, value: number): void {
  if (value < 0x80) {
    out.writeBits(value, 8);
    return;
  }
  const bytes = value < 0x800 ? 2 : value < 0x10000 ? 3 : value < 0x200000 ? 4 : value < 0x4000000 ? 5 : 6;
  let shift = 6 * (bytes - 1);
  // The lead byte: `bytes` ones, a zero, then the top payload bits.
  out.writeBits(((0xff << (8 - bytes)) & 0xff) | (value >>> shift), 8);
  while (shift > 0) {
    shift -= 6;
    out.writeBits(0x80 | ((value >>> shift) & 0x3f), 8);
  }
}

import { BitReader } from './bitReader.js';
import type { FrameHeader } from './frameHeader.js';

/** A frame whose bits cannot be decoded (reserved codes, residual running past the frame...). */
export class FrameDecodeError extends Error {
  override readonly name = 'FrameDecodeError';
}

/** Stream-level values a frame header may defer to ("see STREAMINFO"). */
export interface FrameDefaults {
  readonly bitsPerSample: number;
}

/**
 * Decodes one complete FLAC frame (header through CRC-16) to integer samples, one Int32Array per
 * channel. A plain TypeScript implementation of the FLAC subframe format (constant, verbatim,
 * fixed and LPC predictors, Rice residuals with escapes, wasted bits, stereo decorrelation).
 *
 * It is the path for what the WebAssembly decoder gets wrong (NOTES.md): bit depths other than
 * 8/16/24, headers that take values from STREAMINFO, old-style variable block size, and any frame
 * the WebAssembly decoder rejects although its CRC-16 is valid. Predictions are summed in doubles:
 * with at most 25-bit samples (24-bit + side channel), 15-bit coefficients and order 32 the sum
 * stays below 2^45, exact in a double, so no 32-bit overflow can occur (subset files 61–63).
 */
export function decodeFlacFrame(frame: Uint8Array, header: FrameHeader, defaults: FrameDefaults): Int32Array[] {
  try {
    return decodeSubframes(frame, header, defaults);
  } catch (error) {
    if (error instanceof FrameDecodeError) throw error;
    throw new FrameDecodeError(error instanceof Error ? error.message : String(error));
  }
}

function decodeSubframes(frame: Uint8Array, header: FrameHeader, defaults: FrameDefaults): Int32Array[] {
  const bitsPerSample = header.bitsPerSample ?? defaults.bitsPerSample;
  const reader = new BitReader(frame, header.length, frame.length - 2);
  const { blockSize, channelAssignment } = header;
  const channels: Int32Array[] = [];
  for (let c = 0; c < header.channels; c++) {
    // The side channel carries one extra bit: left/side → 1, right/side → 0, mid/side → 1.
    const isSide = (channelAssignment === 8 && c === 1) || (channelAssignment === 9 && c === 0) || (channelAssignment === 10 && c === 1);
    channels.push(decodeSubframe(reader, blockSize, bitsPerSample + (isSide ? 1 : 0)));
  }
  reader.alignToByte();
  if (reader.overrun || reader.position !== (frame.length - 2) * 8)
    throw new FrameDecodeError(`subframes end at bit ${reader.position}, expected ${(frame.length - 2) * 8}`);
  undoStereoDecorrelation(channels, channelAssignment, blockSize);
  return channels;
}

function decodeSubframe(reader: BitReader, blockSize: number, bitsPerSample: number): Int32Array {
  if (reader.readUint(1) !== 0) throw new FrameDecodeError('subframe padding bit is set');
  const type = reader.readUint(6);
  let wasted = 0;
  if (reader.readUint(1) === 1) wasted = reader.readUnary() + 1;
  const bits = bitsPerSample - wasted;
  if (bits < 1) throw new FrameDecodeError(`${wasted} wasted bits leave no sample bits`);
  const out = new Int32Array(blockSize);
  if (type === 0) out.fill(reader.readInt(bits));
  else if (type === 1) for (let i = 0; i < blockSize; i++) out[i] = reader.readInt(bits);
  else if (type >= 8 && type <= 12) decodeFixed(reader, out, type - 8, bits);
  else if (type >= 32) decodeLpc(reader, out, type - 31, bits);
  else throw new FrameDecodeError(`reserved subframe type ${type}`);
  if (wasted > 0) for (let i = 0; i < blockSize; i++) out[i] *= 2 ** wasted;
  return out;
}

// Fixed predictors of orders 0–4 are the binomial differences: coefficients of (1 − z⁻¹)^order.
const FIXED_COEFFICIENTS = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];

function decodeFixed(reader: BitReader, out: Int32Array, order: number, bits: number): void {
  if (order > out.length) throw new FrameDecodeError(`fixed order ${order} exceeds block size ${out.length}`);
  for (let i = 0; i < order; i++) out[i] = reader.readInt(bits);
  readResidual(reader, out, order);
  predict(out, FIXED_COEFFICIENTS[order], 0);
}

function decodeLpc(reader: BitReader, out: Int32Array, order: number, bits: number): void {
  if (order > out.length) throw new FrameDecodeError(`LPC order ${order} exceeds block size ${out.length}`);
  for (let i = 0; i < order; i++) out[i] = reader.readInt(bits);
  const precision = reader.readUint(4) + 1;
  if (precision === 16) throw new FrameDecodeError('invalid LPC coefficient precision');
  const shift = reader.readInt(5);
  if (shift < 0) throw new FrameDecodeError(`negative LPC shift ${shift}`);
  const coefficients: number[] = [];
  for (let i = 0; i < order; i++) coefficients.push(reader.readInt(precision));
  readResidual(reader, out, order);
  predict(out, coefficients, shift);
}

/** out[i] += Σ coefficients[j]·out[i−1−j] >> shift, for i ≥ order (residual already in out[i]). */
function predict(out: Int32Array, coefficients: number[], shift: number): void {
  const order = coefficients.length;
  if (order === 0) return;
  const divisor = 2 ** shift;
  for (let i = order; i < out.length; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefficients[j] * out[i - 1 - j];
    // Arithmetic shift right of a possibly negative sum = floor division by 2^shift.
    out[i] += Math.floor(sum / divisor);
  }
}

/** Reads the partitioned Rice residual into out[order..]. */
function readResidual(reader: BitReader, out: Int32Array, order: number): void {
  const method = reader.readUint(2);
  if (method > 1) throw new FrameDecodeError(`reserved residual coding method ${method}`);
  const parameterBits = method === 0 ? 4 : 5;
  const escape = (1 << parameterBits) - 1;
  const partitionOrder = reader.readUint(4);
  const partitions = 1 << partitionOrder;
  const partitionSize = out.length >> partitionOrder;
  if (partitionSize << partitionOrder !== out.length || partitionSize < order)
    throw new FrameDecodeError(`partition order ${partitionOrder} does not fit block size ${out.length}`);
  let i = order;
  for (let p = 0; p < partitions; p++) {
    const end = (p + 1) * partitionSize;
    const parameter = reader.readUint(parameterBits);
    if (parameter === escape) {
      const rawBits = reader.readUint(5);
      for (; i < end; i++) out[i] = rawBits === 0 ? 0 : reader.readInt(rawBits);
    } else {
      const scale = 2 ** parameter;
      for (; i < end; i++) {
        const folded = reader.readUnary() * scale + reader.readUint(parameter);
        // Zig-zag: 0, 1, 2, 3... → 0, −1, 1, −2...
        out[i] = folded % 2 === 0 ? folded / 2 : -(folded + 1) / 2;
      }
    }
    if (reader.overrun) throw new FrameDecodeError('residual runs past the end of the frame');
  }
}

function undoStereoDecorrelation(channels: Int32Array[], assignment: number, blockSize: number): void {
  if (assignment < 8) return;
  const [a, b] = channels;
  for (let i = 0; i < blockSize; i++) {
    if (assignment === 8) b[i] = a[i] - b[i]; // left, side → right = left − side
    else if (assignment === 9) a[i] = a[i] + b[i]; // side, right → left = side + right
    else {
      // mid, side: mid was stored as (left + right) >> 1; its lost low bit equals side's.
      const mid = a[i] * 2 + (b[i] & 1);
      const side = b[i];
      a[i] = (mid + side) >> 1;
      b[i] = (mid - side) >> 1;
    }
  }
}

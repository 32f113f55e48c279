import { endianness } from 'node:os';

/**
 * Float32Array views are in the machine's byte order; start.f32 is little-endian, which is every
 * machine Trax runs on (x64, arm64). On a big-endian machine no slice is written or read.
 */
export const START_SLICES_SUPPORTED = endianness() === 'LE';

/**
 * The instant-start slice of chunk 0: its first `frames` frames as planar float32 bytes, exactly
 * the floats chunk 0 decodes to (int / 2^(bitDepth−1), exact in float32 up to 24 bit).
 */
export function startSlice(ints: readonly Int32Array[], bitDepth: number, frames: number): { frames: number; bytes: Uint8Array } | undefined {
  const count = Math.min(frames, ints[0]?.length ?? 0);
  if (!START_SLICES_SUPPORTED || count <= 0) return undefined;
  const scale = 1 / 2 ** (bitDepth - 1);
  const planar = new Float32Array(count * ints.length);
  for (let c = 0; c < ints.length; c++) {
    const source = ints[c];
    const base = c * count;
    for (let i = 0; i < count; i++) planar[base + i] = source[i] * scale;
  }
  return { frames: count, bytes: new Uint8Array(planar.buffer) };
}

/** Frames [offset, offset + frameCount) of each channel of a start slice's bytes, as fresh arrays. */
export function readStartSlice(bytes: Uint8Array, channels: number, sliceFrames: number, offset: number, frameCount: number): Float32Array[] {
  // A Float32Array view needs 4-byte alignment; a pooled Buffer may not have it.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const planar = new Float32Array(aligned.buffer, aligned.byteOffset, channels * sliceFrames);
  return Array.from({ length: channels }, (_, c) => planar.slice(c * sliceFrames + offset, c * sliceFrames + offset + frameCount));
}

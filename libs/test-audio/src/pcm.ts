import { createHash } from 'node:crypto';

/**
 * Interleaves planar PCM into signed little-endian bytes, ceil(bitDepth / 8) per sample: the raw
 * format `flac` reads and writes, and the byte layout FLAC's STREAMINFO MD5 is computed over.
 */
export function interleavePcm(channels: readonly Int32Array[], bitDepth: number): Buffer {
  const width = Math.ceil(bitDepth / 8);
  const frames = channels[0]?.length ?? 0;
  const out = Buffer.allocUnsafe(frames * channels.length * width);
  const stride = channels.length * width;
  for (let c = 0; c < channels.length; c++) {
    const x = channels[c];
    let p = c * width;
    if (width === 3) {
      for (let i = 0; i < frames; i++, p += stride) {
        const v = x[i];
        out[p] = v & 0xff;
        out[p + 1] = (v >> 8) & 0xff;
        out[p + 2] = (v >> 16) & 0xff;
      }
    } else {
      for (let i = 0; i < frames; i++, p += stride) out.writeIntLE(x[i], p, width);
    }
  }
  return out;
}

/** The reverse of `interleavePcm`: signed little-endian interleaved bytes to planar Int32Arrays. */
export function deinterleavePcm(bytes: Uint8Array, channels: number, bitDepth: number): Int32Array[] {
  const width = Math.ceil(bitDepth / 8);
  const frames = Math.floor(bytes.length / (channels * width));
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = Array.from({ length: channels }, () => new Int32Array(frames));
  let p = 0;
  if (width === 3) {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channels; c++, p += 3) out[c][i] = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8;
    }
  } else if (width === 2) {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channels; c++, p += 2) out[c][i] = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
    }
  } else {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channels; c++, p += width) out[c][i] = buffer.readIntLE(p, width);
    }
  }
  return out;
}

/** MD5 (lowercase hex) of the PCM as FLAC's STREAMINFO defines it. */
export function pcmMd5(channels: readonly Int32Array[], bitDepth: number): string {
  return createHash('md5').update(interleavePcm(channels, bitDepth)).digest('hex');
}

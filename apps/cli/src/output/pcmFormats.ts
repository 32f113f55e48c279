/** Interleaved PCM encodings written by `trax decode` and `trax play --out`. Pure functions. */

export type PcmFormat = 'raw' | 'f32le' | 'wav';

/**
 * Interleaved signed little-endian integers at `bitDepth` in whole bytes — byte for byte what
 * `flac -d --force-raw-format --endian=little --sign=signed` writes. Floats are the decoder's
 * exact int / 2^(b−1) values, so rounding recovers the integers.
 */
export function encodeRaw(channels: readonly Float32Array[], frames: number, bitDepth: number): Buffer {
  const bytes = Math.ceil(bitDepth / 8);
  const scale = 2 ** (bitDepth - 1);
  const max = scale - 1;
  const out = Buffer.allocUnsafe(frames * channels.length * bytes);
  let offset = 0;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const value = Math.max(-scale, Math.min(max, Math.round(channel[i] * scale)));
      out.writeIntLE(value, offset, bytes);
      offset += bytes;
    }
  }
  return out;
}

/** Interleaved float32 little-endian. */
export function encodeF32(channels: readonly Float32Array[], frames: number): Buffer {
  const out = Buffer.allocUnsafe(frames * channels.length * 4);
  let offset = 0;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      out.writeFloatLE(channel[i], offset);
      offset += 4;
    }
  }
  return out;
}

/** The 44-byte header of a float32 WAV file (WAVE_FORMAT_IEEE_FLOAT) for `frames` frames. */
export function wavFloatHeader(sampleRate: number, channels: number, frames: number): Buffer {
  const dataBytes = frames * channels * 4;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 4, 28); // byte rate
  header.writeUInt16LE(channels * 4, 32); // block align
  header.writeUInt16LE(32, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Interleaved float32 samples → signed 16-bit little-endian, clipped (a live mix for `aplay -f S16_LE`). */
export function encodeS16Interleaved(samples: Float32Array, count: number): Buffer {
  const out = Buffer.allocUnsafe(count * 2);
  for (let i = 0; i < count; i++) {
    const v = Math.round(samples[i] * 32768);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, i * 2);
  }
  return out;
}

/** Interleaved float32 samples → float32 little-endian bytes (copied: the samples may be reused). */
export function encodeF32Interleaved(samples: Float32Array, count: number): Buffer {
  const out = Buffer.allocUnsafe(count * 4);
  for (let i = 0; i < count; i++) out.writeFloatLE(samples[i], i * 4);
  return out;
}

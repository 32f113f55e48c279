/**
 * Float ↔ integer PCM, the Trax convention: float = int / 2^(bitDepth−1), int = round(float ·
 * 2^(bitDepth−1)) clamped to the bit depth's range. Pure, allocation only for the result.
 */

/** Where a sample was not on the integer grid that bit-exact caching needs. */
export interface OffGridSample {
  readonly channel: number;
  readonly frame: number;
  readonly value: number;
}

/**
 * Converts planar floats to planar integers at `bitDepth`. With `exact`, a sample that is not
 * exactly int / 2^(bitDepth−1) for an in-range int is reported instead of rounded (caching it would
 * not give back the same floats); without it, samples are rounded and clamped.
 */
export function floatToInt(channelData: readonly Float32Array[], frameCount: number, bitDepth: number, exact: boolean): Int32Array[] | OffGridSample {
  const scale = 2 ** (bitDepth - 1);
  const max = scale - 1;
  const min = -scale;
  const out: Int32Array[] = [];
  for (let c = 0; c < channelData.length; c++) {
    const source = channelData[c];
    const target = new Int32Array(frameCount);
    for (let i = 0; i < frameCount; i++) {
      const scaled = source[i] * scale;
      let value = Math.round(scaled);
      if (value > max) value = max;
      else if (value < min) value = min;
      // Also catches NaN: NaN !== anything.
      if (exact && value !== scaled) return { channel: c, frame: i, value: source[i] };
      target[i] = value;
    }
    out.push(target);
  }
  return out;
}

/** Converts planar integers at `bitDepth` to planar floats (exact for bitDepth ≤ 24). */
export function intToFloat(channels: readonly Int32Array[], bitDepth: number): Float32Array[] {
  const scale = 1 / 2 ** (bitDepth - 1);
  return channels.map((samples) => {
    const out = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) out[i] = samples[i] * scale;
    return out;
  });
}

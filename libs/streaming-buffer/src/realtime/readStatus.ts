import type { Frames } from '../units.js';

/**
 * How a read went, in the terms of Mixxx's CachingReader: `available` (all real data), `partial`
 * (some frames were silence), `unavailable` (nothing held — an underrun for the whole span).
 */
export type ReadStatus = 'available' | 'partial' | 'unavailable';

/**
 * Audio thread safe (returns a constant string, allocates nothing). Classifies a read from the
 * frames asked for and the missing count `read` returned.
 *
 * @example
 * ```ts
 * const missing = reader.read(position, 128, out, 0);
 * if (readStatus(missing, 128) !== 'available') underruns++;
 * ```
 */
export function readStatus(missing: Frames, frames: Frames): ReadStatus {
  if (missing <= 0) return 'available';
  return missing >= frames ? 'unavailable' : 'partial';
}

import type { Frames } from '../units.js';

/**
 * What the mixer reads a stem's audio through: a streaming buffer, or a whole decoded stem in
 * legacy mode. Real-time code: implementations must not allocate, await or throw in these methods.
 */
export interface PcmReader {
  /** Audio thread. Frames of real data available contiguously from `position` (0 when none). */
  framesAvailableAt(position: Frames): Frames;
  /**
   * Audio thread. Writes `frames` frames starting at `position` into `out[c]` from `offset`, for
   * every channel of the stem; frames it does not hold are written as silence. Returns how many
   * frames were missing (0 = all real data).
   */
  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames): Frames;
}

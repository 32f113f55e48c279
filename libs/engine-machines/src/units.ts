/**
 * Units as named types (STYLE habit 10), so that a frame count passed where seconds are expected
 * shows in review. They are plain numbers at runtime.
 */

/** A count or position of sample frames (one sample per channel), at the output rate. */
export type Frames = number;
/** A duration or position in seconds. */
export type Seconds = number;
/** Wall-clock milliseconds, from the engine's clock. */
export type Millis = number;
export type { Decibels } from './setlist/setlistTypes.js';

/** Seconds → frames at `sampleRate`, rounded to the nearest frame. */
export function secondsToFrames(seconds: Seconds, sampleRate: number): Frames {
  return Math.round(seconds * sampleRate);
}

/** Frames → seconds at `sampleRate`. */
export function framesToSeconds(frames: Frames, sampleRate: number): Seconds {
  return frames / sampleRate;
}

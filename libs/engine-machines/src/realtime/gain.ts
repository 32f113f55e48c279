import type { Decibels } from '../units.js';

/** Gains at or below this are silence: 10^(−120/20) = 1e-6 is about 8 LSB of 24-bit audio, inaudible, so a fader's bottom means off. */
export const SILENCE_DB: Decibels = -120;

/** Decibels → linear amplitude; 0 dB is exactly 1, so unit-gain mixes are bit-exact sums. */
export function dbToGain(db: Decibels): number {
  if (!(db > SILENCE_DB)) return 0;
  return 10 ** (db / 20);
}

/**
 * Fills `ramp[0..frames)` with an equal-power curve (sin for a fade-in, cos for a fade-out) from
 * step `done` of `length`: step k has t = k / length, so a fade-in starts at exactly 0, a fade-out
 * at exactly 1, and gain_in² + gain_out² = 1 at every step (constant power through the crossfade).
 * Steps past `length` are 1 (fade-in) or 0 (fade-out). Real-time: no allocation.
 */
export function fillEqualPowerRamp(ramp: Float32Array, frames: number, done: number, length: number, fadeIn: boolean): void {
  const quarter = Math.PI / 2;
  for (let i = 0; i < frames; i++) {
    const k = done + i;
    if (k >= length) ramp[i] = fadeIn ? 1 : 0;
    else ramp[i] = fadeIn ? Math.sin((k / length) * quarter) : Math.cos((k / length) * quarter);
  }
}

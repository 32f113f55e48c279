import type { Frames } from './units.js';

/** Resampler quality: libsamplerate's SRC_SINC_FASTEST / MEDIUM_QUALITY / BEST_QUALITY. */
export type ResampleQuality = 'fastest' | 'medium' | 'best';

/**
 * Half-width of each libsamplerate sinc filter, in input samples at a ratio ≥ 1: its coefficient
 * table's half length over its coefficients per input sample — 2464/128 ≈ 19.3 (fastest),
 * 22438/491 ≈ 45.7 (medium), 340239/2381 ≈ 142.9 (best). Measured independently with an impulse
 * fed in 1000-sample pieces at 44.1→48 kHz: the converter holds back 22 / 50 / 157 output
 * samples ≈ 20 / 46 / 144 input samples of look-ahead, matching these. When downsampling the
 * filter is stretched by in/out (48→44.1 kHz best: 157 input samples held back, measured).
 */
export const SINC_HALF_WIDTH: Record<ResampleQuality, number> = { fastest: 20, medium: 46, best: 143 };
/** Margin on top of the half-width, in input samples, for the converter's fixed-point phase. */
const PRE_ROLL_MARGIN = 16;

/**
 * Which input to feed a fresh converter so that its output for `[outStart, outEnd)` equals that
 * of one converter fed the whole stream from sample 0 (zeros before and after the stream):
 *
 * - Output frame j sits at input position j·in/out (libsamplerate's sinc converters have no
 *   delay). It depends on inputs within ± the filter half-width W of that position (W stretched by
 *   in/out when downsampling). So input from `outStart·in/out − W` on fully determines the
 *   output from `outStart` on — the pre-roll — and input up to `(outEnd − 1)·in/out + W` is
 *   needed before the converter releases frame `outEnd − 1` — the post-roll.
 * - A fresh converter's k-th output sits at inputStart + k·in/out, on the one-pass grid only
 *   when inputStart·out/in is an integer: inputStart is rounded down to a multiple of
 *   in/gcd(in, out) (147 frames at 44.1→48 kHz, 160 at 48→44.1 kHz).
 *
 * Positions are computed with BigInt: frame × rate can exceed 2^53 for long streams.
 */
export interface ResamplePlan {
  /** First input frame to feed (on the grid, ≥ 0). */
  readonly inputStart: Frames;
  /** Input frames to feed: `[inputStart, inputEnd)`, zeros past the end of the stream. */
  readonly inputEnd: Frames;
  /** Output frames the converter produces before `outStart` (discarded warm-up). */
  readonly discard: Frames;
}

export function planResample(
  outStart: Frames,
  outEnd: Frames,
  inRate: number,
  outRate: number,
  quality: ResampleQuality,
): ResamplePlan {
  const divisor = gcd(inRate, outRate);
  const inStep = BigInt(inRate / divisor);
  const outStep = BigInt(outRate / divisor);
  const preRoll = BigInt(Math.ceil(SINC_HALF_WIDTH[quality] * Math.max(1, inRate / outRate)) + PRE_ROLL_MARGIN);
  const inR = BigInt(inRate);
  const outR = BigInt(outRate);
  // floor((outStart·in − preRoll·out) / out), then down to a multiple of inStep.
  const earliest = BigInt(outStart) * inR - preRoll * outR;
  const gridIndex = earliest <= 0n ? 0n : earliest / (outR * inStep);
  const inputStart = gridIndex * inStep;
  const lastNeeded = ceilDiv(BigInt(Math.max(outEnd - 1, 0)) * inR, outR) + preRoll + 1n;
  return {
    inputStart: Number(inputStart),
    inputEnd: Number(lastNeeded),
    discard: outStart - Number(gridIndex * outStep),
  };
}

/** Frames at the output rate for `inputFrames` at the input rate: ⌈inputFrames·out/in⌉. */
export function outputLength(inputFrames: Frames, inRate: number, outRate: number): Frames {
  return Number(ceilDiv(BigInt(inputFrames) * BigInt(outRate), BigInt(inRate)));
}

/** Output frame whose position is at or before input frame `inputFrame`: ⌊inputFrame·out/in⌋. */
export function outputFrameAt(inputFrame: Frames, inRate: number, outRate: number): Frames {
  return Number((BigInt(inputFrame) * BigInt(outRate)) / BigInt(inRate));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

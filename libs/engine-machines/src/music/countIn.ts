import type { Frames } from '../units.js';

/** A count-in: `bars` bars of `beatsPerBar` beats at `bpm`, at `sampleRate`. */
export interface CountInSpec {
  readonly bars: number;
  readonly bpm: number;
  readonly beatsPerBar: number;
  readonly sampleRate: number;
}

/** The click's sound. A downbeat is higher and louder, as on a stage metronome. */
export const CLICK = {
  /** 30 ms: shorter than the shortest beat a setlist allows (60 ms at 999 BPM); cut at the next beat anyway. */
  seconds: 0.03,
  /** Exponential decay time constant: e^-5 (−43 dB) by the end of the click. */
  decaySeconds: 0.006,
  accent: { hz: 1600, gain: 0.8 },
  beat: { hz: 1000, gain: 0.5 },
} as const;

function check(spec: CountInSpec): void {
  if (!Number.isSafeInteger(spec.bars) || spec.bars < 0) throw new RangeError(`a count-in is a whole number of bars >= 0, not ${spec.bars}`);
  if (!(spec.bpm > 0) || !Number.isFinite(spec.bpm)) throw new RangeError(`count-in tempo ${spec.bpm} BPM is not a positive number`);
  if (!Number.isSafeInteger(spec.beatsPerBar) || spec.beatsPerBar < 1) throw new RangeError(`count-in bars need >= 1 beat, not ${spec.beatsPerBar}`);
  if (!Number.isSafeInteger(spec.sampleRate) || spec.sampleRate <= 0) throw new RangeError(`sample rate ${spec.sampleRate} is not a positive whole number`);
}

/**
 * Length of the count-in in frames: bars × beatsPerBar beats, `round(beats × 60 × rate / bpm)` —
 * the song's bar 1 starts right after, on the count-in's next bar line. Same rounding as
 * `TempoMap` (each beat from the start, nearest frame, halves up).
 */
export function countInFrames(spec: CountInSpec): Frames {
  check(spec);
  return beatOffset(spec, spec.bars * spec.beatsPerBar);
}

/** The frame of each count-in click, from the count-in's first frame: beat k at round(k × 60 × rate / bpm). */
export function countInBeatFrames(spec: CountInSpec): Frames[] {
  check(spec);
  return Array.from({ length: spec.bars * spec.beatsPerBar }, (_, k) => beatOffset(spec, k));
}

/**
 * The count-in as mono float PCM, `countInFrames(spec)` long: a click starting exactly on each
 * beat frame (its first sample is its peak), the first beat of each bar accented; silence between.
 * For songs without a click stem of their own (the engine plays it before the song's first frame).
 *
 * @example
 * const pcm = renderCountInClick({ bars: 2, bpm: 120, beatsPerBar: 4, sampleRate: 48_000 });
 * pcm.length;  // 192_000: two 4/4 bars at 120 BPM
 */
export function renderCountInClick(spec: CountInSpec): Float32Array {
  const beats = countInBeatFrames(spec);
  const pcm = new Float32Array(countInFrames(spec));
  const clickFrames = Math.round(CLICK.seconds * spec.sampleRate);
  const decayFrames = CLICK.decaySeconds * spec.sampleRate;
  beats.forEach((start, k) => {
    const { hz, gain } = k % spec.beatsPerBar === 0 ? CLICK.accent : CLICK.beat;
    const end = Math.min(start + clickFrames, beats[k + 1] ?? pcm.length);
    const step = (2 * Math.PI * hz) / spec.sampleRate;
    // A cosine burst: full amplitude on the beat frame itself, so the click's onset is the beat.
    for (let i = start; i < end; i++) pcm[i] = gain * Math.cos(step * (i - start)) * Math.exp(-(i - start) / decayFrames);
  });
  return pcm;
}

function beatOffset(spec: CountInSpec, k: number): Frames {
  return Math.round((k * 60 * spec.sampleRate) / spec.bpm);
}

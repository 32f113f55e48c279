import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { TempoChange } from '../setlist/setlistTypes.js';
import { CLICK, countInBeatFrames, countInFrames, renderCountInClick } from './countIn.js';
import { TempoMap } from './TempoMap.js';

/** Frames where a click starts: a non-zero sample after silence (or at 0). */
function onsets(pcm: Float32Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < pcm.length; i++) if (pcm[i] !== 0 && (i === 0 || pcm[i - 1] === 0)) found.push(i);
  return found;
}

describe('count-in', () => {
  it('lasts whole bars: 2 bars of 4/4 at 120 BPM at 48 kHz = 8 × 24,000 frames', () => {
    expect(countInFrames({ bars: 2, bpm: 120, beatsPerBar: 4, sampleRate: 48_000 })).toBe(192_000);
    expect(countInFrames({ bars: 0, bpm: 120, beatsPerBar: 4, sampleRate: 48_000 })).toBe(0);
    // 1 bar of 7/8 at 123 BPM: 7 × 23,414.634 = 163,902.44 → 163,902.
    expect(countInFrames({ bars: 1, bpm: 123, beatsPerBar: 7, sampleRate: 48_000 })).toBe(163_902);
  });

  it('clicks exactly on the beat frames, accented on each downbeat (123 BPM at 48 kHz)', () => {
    const spec = { bars: 2, bpm: 123, beatsPerBar: 4, sampleRate: 48_000 };
    // Beat k at round(k × 23,414.634…): computed by hand.
    const beats = [0, 23_415, 46_829, 70_244, 93_659, 117_073, 140_488, 163_902];
    expect(countInBeatFrames(spec)).toEqual(beats);
    const pcm = renderCountInClick(spec);
    expect(pcm.length).toBe(187_317); // 8 × 23,414.634 = 187,317.07
    expect(onsets(pcm)).toEqual(beats);
    beats.forEach((frame, k) => {
      expect(pcm[frame]).toBe(Math.fround(k % 4 === 0 ? CLICK.accent.gain : CLICK.beat.gain));
      if (frame > 0) expect(pcm[frame - 1]).toBe(0);
    });
    // The click has died away long before the next beat.
    const clickEnd = Math.round(CLICK.seconds * 48_000);
    expect(pcm.subarray(clickEnd, beats[1]).every((s) => s === 0)).toBe(true);
    expect(Math.max(...pcm.subarray(1, clickEnd).map(Math.abs))).toBeLessThan(CLICK.accent.gain);
  });

  it('ends where the song bar 1 starts on the same grid as the song tempo', () => {
    // The count-in is bars of the song's first tempo: its length equals that tempo's bar lines.
    const change: TempoChange = { at: 0, bpm: 97, beatsPerBar: 3, beatUnit: 4 };
    const tempo = TempoMap.of([change], 44_100);
    expect(countInFrames({ bars: 4, bpm: 97, beatsPerBar: 3, sampleRate: 44_100 })).toBe(tempo.barStart(5));
  });

  it('onsets are the beats for any tempo, meter and rate', () => {
    fc.assert(
      fc.property(
        fc.record({
          bars: fc.integer({ min: 1, max: 4 }),
          bpm: fc.double({ min: 30, max: 300, noNaN: true }),
          beatsPerBar: fc.integer({ min: 1, max: 9 }),
          sampleRate: fc.constantFrom(22_050, 44_100, 48_000),
        }),
        (spec) => {
          const pcm = renderCountInClick(spec);
          expect(pcm.length).toBe(countInFrames(spec));
          expect(onsets(pcm)).toEqual(countInBeatFrames(spec));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses impossible count-ins', () => {
    expect(() => countInFrames({ bars: -1, bpm: 120, beatsPerBar: 4, sampleRate: 48_000 })).toThrow(RangeError);
    expect(() => countInFrames({ bars: 1, bpm: 0, beatsPerBar: 4, sampleRate: 48_000 })).toThrow(RangeError);
    expect(() => countInFrames({ bars: 1, bpm: 120, beatsPerBar: 0, sampleRate: 48_000 })).toThrow(RangeError);
  });
});

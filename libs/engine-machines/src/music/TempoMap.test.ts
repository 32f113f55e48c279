import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { TempoChange } from '../setlist/setlistTypes.js';
import { TempoMap } from './TempoMap.js';

const change = (at: number, bpm: number, beatsPerBar: number): TempoChange => ({ at, bpm, beatsPerBar, beatUnit: 4 });

describe('TempoMap at one tempo', () => {
  // 120 BPM at 48 kHz: a beat is 60 / 120 × 48,000 = 24,000 frames, a 4/4 bar 96,000.
  const tempo = TempoMap.of([change(0, 120, 4)], 48_000);

  it('places bars and beats on whole frames', () => {
    expect(tempo.barStart(1)).toBe(0);
    expect(tempo.barStart(2)).toBe(96_000);
    expect(tempo.barStart(11)).toBe(960_000);
    expect(tempo.beatStart(3, 2)).toBe(2 * 96_000 + 24_000);
    expect(tempo.beatsInBar(7)).toBe(4);
  });

  it('tells the bar and beat at a frame; a beat starts at its first frame', () => {
    expect(tempo.barBeatAt(0)).toEqual({ bar: 1, beat: 1 });
    expect(tempo.barBeatAt(215_999)).toEqual({ bar: 3, beat: 1 });
    expect(tempo.barBeatAt(216_000)).toEqual({ bar: 3, beat: 2 });
    expect(tempo.barAt(95_999)).toBe(1);
    expect(tempo.barAt(96_000)).toBe(2);
  });

  it('next beat and next bar are strictly after the frame', () => {
    expect(tempo.nextBeat(215_999)).toBe(216_000);
    expect(tempo.nextBeat(216_000)).toBe(240_000);
    expect(tempo.nextBar(0)).toBe(96_000);
    expect(tempo.nextBar(95_999)).toBe(96_000);
    expect(tempo.nextBar(96_000)).toBe(192_000);
  });

  it('afterBars counts from the start of the current bar', () => {
    expect(tempo.afterBars(100_000, 1)).toBe(192_000); // in bar 2 → bar 3
    expect(tempo.afterBars(100_000, 2)).toBe(288_000); // in bar 2 → bar 4
    expect(tempo.afterBars(96_000, 1)).toBe(192_000); // on bar 2's line → bar 3, as nextBar
    expect(tempo.afterBars(191_999, 4)).toBe(5 * 96_000); // end of bar 2 → bar 6
  });

  it('refuses positions and counts that are not whole and in range', () => {
    expect(() => tempo.barStart(0)).toThrow(RangeError);
    expect(() => tempo.barStart(1.5)).toThrow(RangeError);
    expect(() => tempo.beatStart(2, 5)).toThrow(/bar 2 has beats 1 to 4, not 5/);
    expect(() => tempo.barBeatAt(-1)).toThrow(RangeError);
    expect(() => tempo.nextBar(10.5)).toThrow(RangeError);
    expect(() => tempo.afterBars(0, 0)).toThrow(/whole number of bars >= 1/);
    expect(() => TempoMap.of([change(1, 120, 4)], 48_000)).toThrow(/starts with an entry at 0 s/);
    expect(() => TempoMap.of([change(0, 120, 4)], 44_100.5)).toThrow(RangeError);
  });
});

describe('TempoMap rounding of beats that fall between frames', () => {
  it('rounds each beat from the tempo start to the nearest frame (123 BPM at 48 kHz)', () => {
    // A beat is 2,880,000 / 123 = 23,414.634… frames. Beat k at round(k × 23,414.634…):
    // 1 → 23,414.63 → 23,415; 2 → 46,829.27 → 46,829; 3 → 70,243.90 → 70,244; 4 → 93,658.54 → 93,659.
    const tempo = TempoMap.of([change(0, 123, 4)], 48_000);
    expect([1, 2, 3, 4].map((beat) => tempo.beatStart(1, beat))).toEqual([0, 23_415, 46_829, 70_244]);
    expect(tempo.barStart(2)).toBe(93_659);
    // 100 bars = 400 beats: 400 × 23,414.634 = 9,365,853.66 → 9,365,854 (no accumulated drift).
    expect(tempo.barStart(101)).toBe(9_365_854);
    expect(tempo.barBeatAt(46_828)).toEqual({ bar: 1, beat: 2 });
    expect(tempo.barBeatAt(46_829)).toEqual({ bar: 1, beat: 3 });
  });

  it('rounds a beat exactly half-way between two frames up (128 BPM at 44.1 kHz)', () => {
    // A beat is 2,646,000 / 128 = 20,671.875 frames; beat 4 at 82,687.5 → 82,688; beat 2 at 41,343.75 → 41,344.
    const tempo = TempoMap.of([change(0, 128, 4)], 44_100);
    expect(tempo.barStart(2)).toBe(82_688);
    expect(tempo.beatStart(1, 3)).toBe(41_344);
    expect(tempo.barAt(82_687)).toBe(1);
    expect(tempo.barAt(82_688)).toBe(2);
  });
});

describe('TempoMap with tempo changes', () => {
  it('starts a new bar at each change (120 BPM 4/4 for 8 s, then 90 BPM 3/4)', () => {
    // 8 s at 120 BPM = 16 beats = bars 1–4; bar 5 starts at 8 × 48,000 = 384,000.
    // At 90 BPM a beat is 32,000 frames, a 3/4 bar 96,000.
    const tempo = TempoMap.of([change(0, 120, 4), change(8, 90, 3)], 48_000);
    expect(tempo.barStart(4)).toBe(288_000);
    expect(tempo.barStart(5)).toBe(384_000);
    expect(tempo.barStart(6)).toBe(480_000);
    expect(tempo.beatStart(6, 3)).toBe(544_000);
    expect(tempo.beatsInBar(5)).toBe(3);
    expect(tempo.barBeatAt(383_999)).toEqual({ bar: 4, beat: 4 });
    expect(tempo.barBeatAt(384_000)).toEqual({ bar: 5, beat: 1 });
    expect(tempo.nextBeat(380_000)).toBe(384_000);
    expect(tempo.nextBar(300_000)).toBe(384_000);
    expect(tempo.afterBars(300_000, 3)).toBe(480_000 + 96_000); // bar 4 → bar 7
    expect(tempo.tempoAt(383_999).bpm).toBe(120);
    expect(tempo.tempoAt(384_000).bpm).toBe(90);
  });

  it('cuts the bar short where a change falls inside it', () => {
    // 9 s at 120 BPM = 18 beats: bars 1–4 and a bar 5 of 2 beats; bar 6 starts at 432,000 at 60 BPM.
    const tempo = TempoMap.of([change(0, 120, 4), change(9, 60, 4)], 48_000);
    expect(tempo.beatsInBar(5)).toBe(2);
    expect(tempo.beatStart(5, 2)).toBe(408_000);
    expect(() => tempo.beatStart(5, 3)).toThrow(/bar 5 has beats 1 to 2/);
    expect(tempo.barStart(6)).toBe(432_000);
    expect(tempo.nextBeat(410_000)).toBe(432_000);
    expect(tempo.barStart(7)).toBe(432_000 + 4 * 48_000);
  });

  it('absorbs a beat that would start a few frames before a change written to the millisecond', () => {
    // 4 bars at 123 BPM last 16 × 23,414.634 = 374,634.1 frames = 7.804878 s; written as 7.805 s,
    // the change starts at 374,640. Beat 16 (374,634) is 6 frames before it: absorbed, so bar 4's
    // last beat (from round(15 × 23,414.634) = 351,220) runs to the change and bar 5 starts there.
    const tempo = TempoMap.of([change(0, 123, 4), change(7.805, 100, 4)], 48_000);
    expect(tempo.beatStart(4, 4)).toBe(351_220);
    expect(tempo.barBeatAt(374_635)).toEqual({ bar: 4, beat: 4 });
    expect(tempo.barStart(5)).toBe(374_640);
    expect(tempo.nextBeat(374_000)).toBe(374_640);
    // Written early (7.800 s → 374,400), beat 16 would start after the change: 4 whole bars again.
    const early = TempoMap.of([change(0, 123, 4), change(7.8, 100, 4)], 48_000);
    expect(early.barStart(5)).toBe(374_400);
    expect(early.beatsInBar(4)).toBe(4);
  });
});

describe('TempoMap properties', () => {
  const tempoMaps = fc
    .record({
      sampleRate: fc.constantFrom(44_100, 48_000, 96_000),
      first: fc.record({ bpm: fc.integer({ min: 40, max: 240 }), beatsPerBar: fc.integer({ min: 1, max: 12 }) }),
      rest: fc.array(
        fc.record({ gapBeats: fc.double({ min: 1, max: 64, noNaN: true }), bpm: fc.double({ min: 40, max: 240, noNaN: true }), beatsPerBar: fc.integer({ min: 1, max: 12 }) }),
        { maxLength: 4 },
      ),
    })
    .map(({ sampleRate, first, rest }) => {
      const changes: TempoChange[] = [change(0, first.bpm, first.beatsPerBar)];
      for (const next of rest) {
        const previous = changes[changes.length - 1];
        changes.push(change(previous.at + (next.gapBeats * 60) / previous.bpm, next.bpm, next.beatsPerBar));
      }
      return TempoMap.of(changes, sampleRate);
    });
  const frames = fc.integer({ min: 0, max: 48_000 * 600 });

  it('every frame lies in its bar and its beat, and the next ones start after it', () => {
    fc.assert(
      fc.property(tempoMaps, frames, (tempo, frame) => {
        const { bar, beat } = tempo.barBeatAt(frame);
        expect(tempo.barStart(bar)).toBeLessThanOrEqual(frame);
        expect(tempo.beatStart(bar, beat)).toBeLessThanOrEqual(frame);
        const nextBar = tempo.nextBar(frame);
        const nextBeat = tempo.nextBeat(frame);
        expect(nextBar).toBeGreaterThan(frame);
        expect(nextBar).toBe(tempo.barStart(bar + 1));
        expect(nextBeat).toBeGreaterThan(frame);
        expect(nextBeat).toBeLessThanOrEqual(nextBar);
        // The next beat is the beat after this one.
        const after = beat < tempo.beatsInBar(bar) ? { bar, beat: beat + 1 } : { bar: bar + 1, beat: 1 };
        expect(tempo.barBeatAt(nextBeat)).toEqual(after);
        expect(tempo.barBeatAt(nextBeat - 1)).toEqual({ bar, beat });
        expect(tempo.afterBars(frame, 3)).toBe(tempo.barStart(bar + 3));
      }),
    );
  });

  it('bar and beat starts map back to themselves and increase', () => {
    fc.assert(
      fc.property(tempoMaps, fc.integer({ min: 1, max: 400 }), (tempo, bar) => {
        expect(tempo.barBeatAt(tempo.barStart(bar))).toEqual({ bar, beat: 1 });
        expect(tempo.barStart(bar + 1)).toBeGreaterThan(tempo.barStart(bar));
        for (let beat = 1; beat <= tempo.beatsInBar(bar); beat++) expect(tempo.barBeatAt(tempo.beatStart(bar, beat))).toEqual({ bar, beat });
      }),
    );
  });
});

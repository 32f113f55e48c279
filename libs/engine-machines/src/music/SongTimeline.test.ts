import { describe, expect, it } from '@jest/globals';
import { SongTimingError } from '../setlist/SongTimingError.js';
import type { SongMusic } from '../setlist/setlistTypes.js';
import { NavigationError } from './NavigationError.js';
import { SongTimeline } from './SongTimeline.js';

// 120 BPM 4/4 at 48 kHz: a beat is 24,000 frames, a bar 96,000. A 60 s song = 2,880,000 frames = 30 bars.
const song: SongMusic & { id: string } = {
  id: 'opener',
  tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }],
  sections: [
    { name: 'Verse', at: 0 },
    { name: 'Chorus', at: 16 }, // bar 9: 768,000
    { name: 'Outro', at: 48 }, // bar 25: 2,304,000
  ],
  countIn: 2,
};
const timeline = SongTimeline.of(song, { sampleRate: 48_000, lengthFrames: 2_880_000 });

const navigationError = (run: () => unknown): NavigationError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NavigationError);
    return error as NavigationError;
  }
  throw new Error('expected a NavigationError');
};

describe('SongTimeline.landingFrame', () => {
  it.each([
    ['now', 'now', 100_000, 100_000],
    ['the next beat', 'nextBeat', 100_000, 120_000],
    ['the next beat from a beat', 'nextBeat', 120_000, 144_000],
    ['the next bar', 'nextBar', 100_000, 192_000],
    ['the next bar from a bar line', 'nextBar', 192_000, 288_000],
    ['after 4 bars (bar 2 → bar 6)', { afterBars: 4 }, 100_000, 480_000],
    ['the section end (Verse → Chorus)', 'sectionEnd', 100_000, 768_000],
    ['the section end from the Chorus start', 'sectionEnd', 768_000, 2_304_000],
    ['the section end of the last section (the song end)', 'sectionEnd', 2_500_000, 2_880_000],
    ['the last bar line, which is the song end', 'nextBar', 2_800_000, 2_880_000],
  ] as const)('lands at %s', (_label, when, position, landing) => {
    expect(timeline.landingFrame(position, when)).toBe(landing);
  });

  it('refuses a landing after the song ends', () => {
    const error = navigationError(() => timeline.landingFrame(2_800_000, { afterBars: 2 }));
    expect(error.song).toBe('opener');
    expect(error.reason).toMatch(/the song ends \(at 1:00\.000\) before the jump could land \(afterBars 2: 1:02\.000\)/);
  });

  it('refuses musical boundaries the song cannot give', () => {
    const plain = SongTimeline.of({ id: 'plain' }, { sampleRate: 48_000, lengthFrames: 480_000 });
    expect(plain.landingFrame(1_000, 'now')).toBe(1_000);
    expect(navigationError(() => plain.landingFrame(0, 'nextBar')).reason).toMatch(/has no tempo: a jump on the nextBar needs "tempo" or "tempoMap"/);
    expect(navigationError(() => plain.landingFrame(0, { afterBars: 1 })).reason).toMatch(/has no tempo/);
    expect(navigationError(() => plain.landingFrame(0, 'sectionEnd')).reason).toMatch(/has no sections/);
    expect(navigationError(() => timeline.landingFrame(0, { afterBars: 0 })).reason).toMatch(/whole number of bars >= 1, not 0/);
    expect(() => timeline.landingFrame(2_880_001, 'now')).toThrow(RangeError);
    expect(() => timeline.landingFrame(-1, 'now')).toThrow(RangeError);
  });
});

describe('SongTimeline targets, loops and count-in', () => {
  it('jump targets: a section start or seconds to the nearest frame', () => {
    expect(timeline.targetFrame('Chorus')).toBe(768_000);
    expect(timeline.targetFrame(12.34567)).toBe(592_592); // 12.34567 × 48,000 = 592,592.16
    expect(navigationError(() => timeline.targetFrame('Bridge')).reason).toBe('has no section "Bridge" (its sections: "Verse", "Chorus", "Outro")');
    expect(navigationError(() => timeline.targetFrame(60)).reason).toMatch(/the song is 1:00\.000 long/);
    expect(navigationError(() => timeline.targetFrame(-1)).reason).toMatch(/seconds >= 0/);
  });

  it('a loop over a section is its frames', () => {
    expect(timeline.sectionRange('Chorus')).toEqual({ start: 768_000, end: 2_304_000 });
    expect(timeline.sectionRange('Outro')).toEqual({ start: 2_304_000, end: 2_880_000 });
  });

  it('count-in: 2 bars at the first tempo = 192,000 frames; none without', () => {
    expect(timeline.countInFrames()).toBe(192_000);
    expect(SongTimeline.of({ id: 'x' }, { sampleRate: 48_000, lengthFrames: 10 }).countInFrames()).toBe(0);
    expect(timeline.transition).toEqual({ kind: 'gapless' });
    expect(timeline.transitionFrames()).toBe(0);
    const faded = SongTimeline.of({ id: 'f', transition: { kind: 'crossfade', seconds: 2.5 } }, { sampleRate: 44_100, lengthFrames: 441_000 });
    expect(faded.transitionFrames()).toBe(110_250); // 2.5 × 44,100
    const gapped = SongTimeline.of({ id: 'g', transition: { kind: 'gap', seconds: 0.00001 } }, { sampleRate: 48_000, lengthFrames: 10 });
    expect(gapped.transitionFrames()).toBe(0); // 0.48 frames rounds to none
  });

  it('refuses a song whose sections, tempo changes or crossfade do not fit its length', () => {
    const late: SongMusic & { id: string } = {
      id: 'late',
      tempoMap: [
        { at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 },
        { at: 70, bpm: 100, beatsPerBar: 4, beatUnit: 4 },
      ],
      sections: [
        { name: 'A', at: 0 },
        { name: 'B', at: 60 },
      ],
      transition: { kind: 'crossfade', seconds: 61 },
    };
    let error: unknown;
    try {
      SongTimeline.of(late, { sampleRate: 48_000, lengthFrames: 2_880_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SongTimingError);
    expect((error as SongTimingError).problems).toEqual([
      { jsonPath: 'sections[1].at', problem: 'section "B" starts at 1:00.000, at or after the song\'s end (1:00.000)' },
      { jsonPath: 'tempoMap[1].at', problem: "tempo change at 1:10.000 is at or after the song's end (1:00.000)" },
      { jsonPath: 'transition.crossfade', problem: "a crossfade of 61 s is longer than the song (1:00.000)" },
    ]);
    expect((error as Error).message).toBe('late: sections[1].at: section "B" starts at 1:00.000, at or after the song\'s end (1:00.000) (and 2 more)');
  });
});

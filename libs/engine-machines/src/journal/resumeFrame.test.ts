import { describe, expect, it } from '@jest/globals';
import { SongTimeline } from '../music/SongTimeline.js';
import type { ResumeJournal } from './ResumeJournal.js';
import { resumeFrame } from './resumeFrame.js';

const journalAt = (frame: number, sampleRate = 48_000): ResumeJournal => ({
  setlist: { source: '/gig.json', name: 'gig' },
  song: 'a',
  position: { frame, sampleRate },
  playing: true,
  mix: [],
  savedAt: '2025-01-01T00:00:00.000Z',
});

// 120 BPM 4/4 at 48 kHz: bars of 96,000 frames; a 60 s song.
const withTempo = SongTimeline.of({ id: 'a', tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }] }, { sampleRate: 48_000, lengthFrames: 2_880_000 });
const withoutTempo = SongTimeline.of({ id: 'a' }, { sampleRate: 48_000, lengthFrames: 2_880_000 });

describe('resumeFrame', () => {
  it('goes back to the start of the bar the song was in', () => {
    expect(resumeFrame(journalAt(1_000_000), withTempo)).toBe(960_000); // in bar 11 (960,000–1,055,999)
    expect(resumeFrame(journalAt(960_000), withTempo)).toBe(960_000);
    expect(resumeFrame(journalAt(959_999), withTempo)).toBe(864_000);
  });

  it('keeps the frame for a song without a tempo, converted to the engine rate', () => {
    expect(resumeFrame(journalAt(1_000_000), withoutTempo)).toBe(1_000_000);
    // 441,000 frames at 44.1 kHz = 10 s = 480,000 at 48 kHz.
    expect(resumeFrame(journalAt(441_000, 44_100), withoutTempo)).toBe(480_000);
  });

  it('stays inside the song', () => {
    expect(resumeFrame(journalAt(9_999_999), withoutTempo)).toBe(2_879_999);
    expect(resumeFrame(journalAt(9_999_999), withTempo)).toBe(2_784_000); // the last bar: 29 × 96,000
  });
});

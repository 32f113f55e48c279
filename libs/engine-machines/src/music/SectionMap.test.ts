import { describe, expect, it } from '@jest/globals';
import { SectionMap } from './SectionMap.js';

// 48 kHz, a 100 s song: Intro 5 s (240,000), Verse 20.5 s (984,000), Chorus 60 s (2,880,000).
const sections = SectionMap.of(
  [
    { name: 'Intro', at: 5 },
    { name: 'Verse', at: 20.5 },
    { name: 'Chorus', at: 60 },
  ],
  48_000,
  4_800_000,
);

describe('SectionMap', () => {
  it('places sections on frames, each ending where the next starts or the song ends', () => {
    expect(sections.spans).toEqual([
      { name: 'Intro', index: 0, start: 240_000, end: 984_000 },
      { name: 'Verse', index: 1, start: 984_000, end: 2_880_000 },
      { name: 'Chorus', index: 2, start: 2_880_000, end: 4_800_000 },
    ]);
    expect(sections.section('Verse')?.start).toBe(984_000);
    expect(sections.section('verse')).toBeUndefined(); // names are exact
  });

  it('finds the section at a frame; none before the first or past the end', () => {
    expect(sections.sectionAt(0)).toBeUndefined();
    expect(sections.sectionAt(239_999)).toBeUndefined();
    expect(sections.sectionAt(240_000)?.name).toBe('Intro');
    expect(sections.sectionAt(983_999)?.name).toBe('Intro');
    expect(sections.sectionAt(984_000)?.name).toBe('Verse');
    expect(sections.sectionAt(4_799_999)?.name).toBe('Chorus');
    expect(sections.sectionAt(4_800_000)).toBeUndefined();
  });

  it('section end: the next section start after the frame, else the song end', () => {
    expect(sections.sectionEnd(0)).toBe(240_000);
    expect(sections.sectionEnd(240_000)).toBe(984_000);
    expect(sections.sectionEnd(983_999)).toBe(984_000);
    expect(sections.sectionEnd(984_000)).toBe(2_880_000);
    expect(sections.sectionEnd(3_000_000)).toBe(4_800_000);
    expect(sections.sectionEnd(4_800_000)).toBeUndefined();
  });

  it('a song without sections ends its only part at the song end', () => {
    const none = SectionMap.of(undefined, 48_000, 1_000);
    expect(none.spans).toEqual([]);
    expect(none.sectionAt(10)).toBeUndefined();
    expect(none.sectionEnd(10)).toBe(1_000);
  });

  it('refuses sections past the end or out of order', () => {
    expect(() => SectionMap.of([{ name: 'Late', at: 2 }], 48_000, 96_000)).toThrow(/"Late" starts at frame 96000, past the song's end/);
    expect(() => SectionMap.of([{ name: 'A', at: 1 }, { name: 'B', at: 1 }], 48_000, 960_000)).toThrow(/"B" does not start after/);
  });
});

import type { SectionMark } from '../setlist/setlistTypes.js';
import type { Frames } from '../units.js';

/** A section on the output frame grid: `[start, end)`, ending where the next one starts or the song ends. */
export interface SectionSpan {
  readonly name: string;
  /** Its place in the song's `sections`. */
  readonly index: number;
  readonly start: Frames;
  readonly end: Frames;
}

/**
 * A song's sections in integer frames (`start = round(at × sampleRate)`), and the song's length.
 * Before the first section (when it does not start at 0) no section plays. Pure.
 *
 * @example
 * const sections = SectionMap.of([{ name: 'Verse', at: 0 }, { name: 'Chorus', at: 30 }], 48_000, 4_800_000);
 * sections.sectionAt(1_500_000)?.name;  // 'Chorus'
 * sections.sectionEnd(100);             // 1_440_000
 */
export class SectionMap {
  private constructor(
    readonly spans: readonly SectionSpan[],
    readonly lengthFrames: Frames,
  ) {}

  /**
   * @param sections sorted, unique names, each starting before `lengthFrames` (what
   *   `validateSetlistJson` and `songTimingProblems` check).
   * @throws RangeError when they are not.
   */
  static of(sections: readonly SectionMark[] | undefined, sampleRate: number, lengthFrames: Frames): SectionMap {
    const starts = (sections ?? []).map((section) => Math.round(section.at * sampleRate));
    const spans = (sections ?? []).map((section, index) => {
      const start = starts[index];
      if (start >= lengthFrames) throw new RangeError(`section ${JSON.stringify(section.name)} starts at frame ${start}, past the song's end (${lengthFrames})`);
      if (index > 0 && start <= starts[index - 1]) throw new RangeError(`section ${JSON.stringify(section.name)} does not start after the one before it`);
      return { name: section.name, index, start, end: starts[index + 1] ?? lengthFrames };
    });
    return new SectionMap(spans, lengthFrames);
  }

  /** The section named `name`, or undefined. */
  section(name: string): SectionSpan | undefined {
    return this.spans.find((span) => span.name === name);
  }

  /** The section playing at `frame`, or undefined before the first section and at or past the song's end. */
  sectionAt(frame: Frames): SectionSpan | undefined {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const span = this.spans[i];
      if (span.start <= frame) return frame < span.end ? span : undefined;
    }
    return undefined;
  }

  /**
   * Where the part playing at `frame` ends: the next section start after `frame`, else the song's
   * end; undefined at or past the song's end. Before the first section, that section's start.
   */
  sectionEnd(frame: Frames): Frames | undefined {
    if (frame >= this.lengthFrames) return undefined;
    return this.spans.find((span) => span.start > frame)?.start ?? this.lengthFrames;
  }
}

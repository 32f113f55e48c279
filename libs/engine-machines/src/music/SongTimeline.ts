import { songTimingProblems } from '../setlist/songTimingProblems.js';
import { SongTimingError } from '../setlist/SongTimingError.js';
import type { SongMusic, Transition } from '../setlist/setlistTypes.js';
import type { Frames, Seconds } from '../units.js';
import { countInFrames } from './countIn.js';
import { formatClock } from './formatClock.js';
import { NavigationError } from './NavigationError.js';
import { SectionMap, type SectionSpan } from './SectionMap.js';
import { TempoMap } from './TempoMap.js';

/** When a jump lands: at once, on the next beat or bar line, where the current section ends, or n bars on. */
export type JumpWhen = 'now' | 'nextBeat' | 'nextBar' | 'sectionEnd' | { readonly afterBars: number };

/** Where a jump goes: a section (by name) or a position in seconds. */
export type JumpTarget = string | Seconds;

/** A range of song frames `[start, end)`, e.g. a loop. */
export interface SongSpan {
  readonly start: Frames;
  readonly end: Frames;
}

const describeWhen = (when: JumpWhen) => (typeof when === 'string' ? when : `afterBars ${when.afterBars}`);

/**
 * Everything musical about one song, in integer output frames: its tempo (bars, beats), its
 * sections and its length — what the engine asks when a jump, loop, count-in or transition is
 * scheduled. Built once the song's stems are open (the length is the longest stem's). Pure.
 *
 * @example
 * const timeline = SongTimeline.of(song, { sampleRate: 48_000, lengthFrames: 11_520_000 });
 * const landing = timeline.landingFrame(position, 'nextBar');   // where the jump lands
 * const target = timeline.targetFrame('Chorus');                // where it goes
 */
export class SongTimeline {
  private constructor(
    readonly song: string,
    readonly sampleRate: number,
    readonly lengthFrames: Frames,
    /** Absent when the song has no tempo. */
    readonly tempo: TempoMap | undefined,
    readonly sections: SectionMap,
    /** Bars of count-in (0 without). */
    readonly countInBars: number,
    readonly transition: Transition,
  ) {}

  /**
   * @throws SongTimingError when a section or tempo change lies at or after the song's end, or a
   *   crossfade is longer than the song (`songTimingProblems`).
   */
  static of(song: SongMusic & { readonly id: string }, options: { readonly sampleRate: number; readonly lengthFrames: Frames }): SongTimeline {
    const { sampleRate, lengthFrames } = options;
    if (!Number.isSafeInteger(lengthFrames) || lengthFrames < 0) throw new RangeError(`song length ${lengthFrames} is not a whole number of frames >= 0`);
    const problems = songTimingProblems(song, lengthFrames, sampleRate);
    if (problems.length > 0) throw new SongTimingError(song.id, problems);
    const tempo = song.tempoMap ? TempoMap.of(song.tempoMap, sampleRate) : undefined;
    return new SongTimeline(song.id, sampleRate, lengthFrames, tempo, SectionMap.of(song.sections, sampleRate, lengthFrames), song.countIn ?? 0, song.transition ?? { kind: 'gapless' });
  }

  /**
   * The song frame where a jump asked at `position` lands. `'now'` is `position` itself; the
   * musical ones are strictly after it (`TempoMap.nextBeat`, `nextBar`, `afterBars`;
   * `SectionMap.sectionEnd`). A landing at the song's very end is allowed (it replaces the end).
   *
   * @throws NavigationError when the song has no tempo (beats, bars) or no sections (`sectionEnd`),
   *   `afterBars` is not a whole number >= 1, or the song ends before the landing.
   * @throws RangeError when `position` is not a frame of the song.
   */
  landingFrame(position: Frames, when: JumpWhen): Frames {
    if (!Number.isSafeInteger(position) || position < 0 || position > this.lengthFrames)
      throw new RangeError(`${this.song}: position ${position} is not a frame of the song (0 to ${this.lengthFrames})`);
    const landing = this.boundaryAfter(position, when);
    if (landing > this.lengthFrames)
      throw new NavigationError(this.song, `the song ends (at ${this.clock(this.lengthFrames)}) before the jump could land (${describeWhen(when)}: ${this.clock(landing)})`);
    return landing;
  }

  /** The song frame a jump goes to: a section's start, or seconds rounded to the nearest frame. */
  targetFrame(to: JumpTarget): Frames {
    if (typeof to === 'string') return this.section(to).start;
    if (!Number.isFinite(to) || to < 0) throw new NavigationError(this.song, `cannot jump to ${to} s: a position is a number of seconds >= 0`);
    const frame = Math.round(to * this.sampleRate);
    if (frame >= this.lengthFrames) throw new NavigationError(this.song, `cannot jump to ${to} s: the song is ${this.clock(this.lengthFrames)} long`);
    return frame;
  }

  /** A section's frames, for a loop over it. */
  sectionRange(name: string): SongSpan {
    const { start, end } = this.section(name);
    return { start, end };
  }

  /** Frames of count-in before the song's first frame: `countInFrames` at the song's first tempo (0 without). */
  countInFrames(): Frames {
    if (this.countInBars === 0 || !this.tempo) return 0;
    const { bpm, beatsPerBar } = this.tempo.initialTempo;
    return countInFrames({ bars: this.countInBars, bpm, beatsPerBar, sampleRate: this.sampleRate });
  }

  /**
   * Frames of the hand-over to the next song: silence for `gap`, overlap for `crossfade`
   * (`round(seconds × rate)`); 0 for `gapless` and `stop`.
   */
  transitionFrames(): Frames {
    const t = this.transition;
    return t.kind === 'gap' || t.kind === 'crossfade' ? Math.round(t.seconds * this.sampleRate) : 0;
  }

  private section(name: string): SectionSpan {
    const span = this.sections.section(name);
    if (span) return span;
    const names = this.sections.spans.map((s) => JSON.stringify(s.name));
    throw new NavigationError(this.song, `has no section ${JSON.stringify(name)}${names.length ? ` (its sections: ${names.join(', ')})` : ' (it has no sections)'}`);
  }

  private boundaryAfter(position: Frames, when: JumpWhen): Frames {
    if (when === 'now') return position;
    if (when === 'sectionEnd') {
      if (this.sections.spans.length === 0) throw new NavigationError(this.song, 'has no sections: a jump at the section end needs "sections" in the setlist');
      return this.sections.sectionEnd(position) ?? this.lengthFrames;
    }
    const tempo = this.tempo;
    if (!tempo) throw new NavigationError(this.song, `has no tempo: a jump on the ${describeWhen(when)} needs "tempo" or "tempoMap" in the setlist`);
    if (when === 'nextBeat') return tempo.nextBeat(position);
    if (when === 'nextBar') return tempo.nextBar(position);
    if (!Number.isSafeInteger(when.afterBars) || when.afterBars < 1) throw new NavigationError(this.song, `afterBars must be a whole number of bars >= 1, not ${when.afterBars}`);
    return tempo.afterBars(position, when.afterBars);
  }

  private clock(frames: Frames): string {
    return formatClock(frames / this.sampleRate);
  }
}

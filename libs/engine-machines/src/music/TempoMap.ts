import type { TempoChange } from '../setlist/setlistTypes.js';
import type { Frames } from '../units.js';

/** A musical position: bar and beat, both counted from 1 as musicians do (frame 0 is 1.1). */
export interface BarBeat {
  readonly bar: number;
  readonly beat: number;
}

/**
 * A beat of an earlier tempo that would start less than this before the next tempo change is
 * absorbed by the change's bar line. Tempo maps are written in seconds, usually rounded to the
 * millisecond: without it, a change meant to fall on a bar line but written 6 frames late would
 * leave a 6-frame bar.
 */
export const ABSORB_SECONDS = 0.01;

/** One tempo map entry, placed on the output frame grid. */
interface Segment {
  readonly change: TempoChange;
  readonly startFrame: Frames;
  /** Global number of its first bar. */
  readonly firstBar: number;
  /** Beats before the next change; Infinity for the last segment. */
  readonly beats: number;
}

/**
 * A song's tempo on the output frame grid: where bars and beats start, in integer frames.
 *
 * - Every tempo map entry starts a new bar at `round(at × sampleRate)`. If the earlier tempo's
 *   last bar is not complete there, that bar is short (fewer beats); a beat that would start less
 *   than {@link ABSORB_SECONDS} before the change is dropped (the beat before it runs to the change).
 * - Beat k of an entry (k = 0, 1, …) starts at `entryStart + round(k × 60 × sampleRate / bpm)`:
 *   each beat is rounded from its entry's start (rounding never accumulates), to the nearest
 *   frame, halves up. E.g. 128 BPM at 44.1 kHz: beat 4 at 4 × 20,671.875 = 82,687.5 → 82,688.
 * - "Next" means strictly after: `nextBar(f)` for f exactly on a bar line is the following one.
 *
 * Frames are positions in the song (0 = its first frame). Pure; safe in any thread.
 *
 * @example
 * const tempo = TempoMap.of([{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }], 48_000);
 * tempo.barStart(2);         // 96_000: a 4/4 bar at 120 BPM is 2 s
 * tempo.barBeatAt(100_000);  // { bar: 2, beat: 1 }
 * tempo.nextBar(100_000);    // 192_000
 */
export class TempoMap {
  private constructor(
    readonly sampleRate: number,
    private readonly segments: readonly Segment[],
  ) {}

  /**
   * @param changes sorted by `at`, the first at 0, each at least a beat after the previous (what
   *   `validateSetlistJson` guarantees).
   * @throws RangeError for changes that break those rules or a sample rate that is not a positive integer.
   */
  static of(changes: readonly TempoChange[], sampleRate: number): TempoMap {
    if (!Number.isSafeInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`sample rate ${sampleRate} is not a positive whole number`);
    if (changes.length === 0 || changes[0].at !== 0) throw new RangeError('a tempo map starts with an entry at 0 s');
    const absorb = Math.round(ABSORB_SECONDS * sampleRate);
    const segments: Segment[] = [];
    let firstBar = 1;
    changes.forEach((change, i) => {
      const startFrame = Math.round(change.at * sampleRate);
      const next = changes[i + 1];
      let beats = Infinity;
      if (next) {
        const end = Math.round(next.at * sampleRate) - absorb;
        if (end <= startFrame) throw new RangeError(`tempo map entry ${i + 1} (at ${next.at} s) is not after entry ${i} (at ${change.at} s)`);
        // Beats of this entry: those starting before `end` (beat 0 always does).
        beats = Math.max(1, Math.ceil(((end - startFrame) * change.bpm) / (60 * sampleRate)));
        while (beats > 1 && offsetOf(change, beats - 1, sampleRate) >= end - startFrame) beats--;
        while (offsetOf(change, beats, sampleRate) < end - startFrame) beats++;
      }
      segments.push({ change, startFrame, firstBar, beats });
      firstBar += Math.ceil(beats / change.beatsPerBar);
    });
    return new TempoMap(sampleRate, segments);
  }

  /** The tempo map entries this map was made of. */
  get changes(): readonly TempoChange[] {
    return this.segments.map((s) => s.change);
  }

  /** The tempo at the start of the song (what a count-in clicks at). */
  get initialTempo(): TempoChange {
    return this.segments[0].change;
  }

  /** The tempo map entry in force at `frame`. */
  tempoAt(frame: Frames): TempoChange {
    return this.segmentAt(checkFrame(frame)).change;
  }

  /** First frame of bar `bar` (1-based). */
  barStart(bar: number): Frames {
    const segment = this.segmentOfBar(bar);
    return segment.startFrame + offsetOf(segment.change, (bar - segment.firstBar) * segment.change.beatsPerBar, this.sampleRate);
  }

  /** Beats in bar `bar`: the time signature's, or fewer in a bar cut short by a tempo change. */
  beatsInBar(bar: number): number {
    const segment = this.segmentOfBar(bar);
    const before = (bar - segment.firstBar) * segment.change.beatsPerBar;
    return Math.min(segment.change.beatsPerBar, segment.beats - before);
  }

  /** First frame of beat `beat` (1-based) of bar `bar` (1-based). */
  beatStart(bar: number, beat: number): Frames {
    const beats = this.beatsInBar(bar);
    if (!Number.isInteger(beat) || beat < 1 || beat > beats) throw new RangeError(`bar ${bar} has beats 1 to ${beats}, not ${beat}`);
    const segment = this.segmentOfBar(bar);
    return segment.startFrame + offsetOf(segment.change, (bar - segment.firstBar) * segment.change.beatsPerBar + beat - 1, this.sampleRate);
  }

  /** The bar and beat playing at `frame`. */
  barBeatAt(frame: Frames): BarBeat {
    const { segment, beat } = this.locate(frame);
    const perBar = segment.change.beatsPerBar;
    return { bar: segment.firstBar + Math.floor(beat / perBar), beat: (beat % perBar) + 1 };
  }

  /** The bar playing at `frame`. */
  barAt(frame: Frames): number {
    return this.barBeatAt(frame).bar;
  }

  /** The first beat start strictly after `frame`. */
  nextBeat(frame: Frames): Frames {
    const { segment, beat, index } = this.locate(frame);
    if (beat + 1 < segment.beats) return segment.startFrame + offsetOf(segment.change, beat + 1, this.sampleRate);
    return this.segments[index + 1].startFrame;
  }

  /** The first bar line strictly after `frame`. */
  nextBar(frame: Frames): Frames {
    return this.barStart(this.barAt(frame) + 1);
  }

  /**
   * The bar line `bars` bars after the start of the bar playing at `frame`: `afterBars(f, 1)` is
   * `nextBar(f)`; from anywhere in bar 5, `afterBars(f, 2)` is the start of bar 7.
   *
   * @throws RangeError unless `bars` is a whole number >= 1.
   */
  afterBars(frame: Frames, bars: number): Frames {
    if (!Number.isSafeInteger(bars) || bars < 1) throw new RangeError(`afterBars needs a whole number of bars >= 1, not ${bars}`);
    return this.barStart(this.barAt(frame) + bars);
  }

  private segmentAt(frame: Frames): Segment {
    return this.segments[this.segmentIndexAt(frame)];
  }

  private segmentIndexAt(frame: Frames): number {
    let index = 0;
    while (index + 1 < this.segments.length && this.segments[index + 1].startFrame <= frame) index++;
    return index;
  }

  private segmentOfBar(bar: number): Segment {
    if (!Number.isSafeInteger(bar) || bar < 1) throw new RangeError(`bars are numbered from 1, not ${bar}`);
    let index = 0;
    while (index + 1 < this.segments.length && this.segments[index + 1].firstBar <= bar) index++;
    return this.segments[index];
  }

  /** The segment at `frame` and the beat (0-based within it) playing there. */
  private locate(frame: Frames): { segment: Segment; index: number; beat: number } {
    checkFrame(frame);
    const index = this.segmentIndexAt(frame);
    const segment = this.segments[index];
    const into = frame - segment.startFrame;
    // Estimate from the exact beat length, then settle on the rounded grid.
    let beat = Math.floor((into * segment.change.bpm) / (60 * this.sampleRate));
    while (offsetOf(segment.change, beat + 1, this.sampleRate) <= into) beat++;
    while (beat > 0 && offsetOf(segment.change, beat, this.sampleRate) > into) beat--;
    return { segment, index, beat: Math.min(beat, segment.beats - 1) };
  }
}

/** Frames from an entry's start to its beat `k`: round(k × 60 × rate / bpm), halves up. */
function offsetOf(change: TempoChange, k: number, sampleRate: number): Frames {
  // k × 60 × rate is an exact integer in a double, so the one division is correctly rounded and a
  // true half (e.g. 82,687.5) is exact before Math.round.
  return Math.round((k * 60 * sampleRate) / change.bpm);
}

function checkFrame(frame: Frames): Frames {
  if (!Number.isSafeInteger(frame) || frame < 0) throw new RangeError(`a song position is a whole number of frames >= 0, not ${frame}`);
  return frame;
}

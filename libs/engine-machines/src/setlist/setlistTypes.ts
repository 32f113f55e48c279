import type { Seconds } from '../units.js';

export type Decibels = number;

/** One stem of a song: a FLAC file and its mix gain. */
export interface StemSpec {
  readonly id: string;
  /**
   * Absolute path of the FLAC file, or an `http://` / `https://` URL (kept as written; see
   * `isStemUrl`). The field keeps its name for compatibility: it is the stem's location.
   */
  readonly path: string;
  readonly gainDb: Decibels;
}

/**
 * From `at` on, the song runs at `bpm` beats per minute with `beatsPerBar` beats per bar. Every
 * entry starts a new bar at `at` (see docs/setlist-format.md, "Tempo").
 */
export interface TempoChange {
  /** Seconds from the start of the song; the first entry is at 0. */
  readonly at: Seconds;
  /** Beats per minute, where a beat is one `beatUnit` note (in 6/8, eighth notes). */
  readonly bpm: number;
  /** The time signature's numerator. */
  readonly beatsPerBar: number;
  /** The time signature's denominator (4 = quarter note). Only shown; timing uses `bpm`. */
  readonly beatUnit: number;
}

/** A named part of a song (verse, chorus, outro…) starting at `at` and running to the next one. */
export interface SectionMark {
  readonly name: string;
  readonly at: Seconds;
}

/**
 * How a song hands over to the next one: `gapless` (the next song's first frame follows this one's
 * last), `gap` (`seconds` of silence between them), `crossfade` (the last `seconds` of this song
 * are mixed with the next song's first `seconds`, equal-power), `stop` (the next song is armed and
 * waits for PLAY).
 */
export type Transition =
  | { readonly kind: 'gapless' }
  | { readonly kind: 'gap'; readonly seconds: Seconds }
  | { readonly kind: 'crossfade'; readonly seconds: Seconds }
  | { readonly kind: 'stop' };

/** The musical description of a song: everything optional, the defaults apply when absent. */
export interface SongMusic {
  /**
   * The song's tempo, sorted by `at`, the first at 0: from `tempo` + `timeSignature` (one entry)
   * or from `tempoMap`. Absent: the song has no tempo (no bar or beat positions, no count-in).
   */
  readonly tempoMap?: readonly TempoChange[];
  /** Sorted by `at`, unique names. Absent: no sections. */
  readonly sections?: readonly SectionMark[];
  /** Bars of click before the song starts (needs a tempo). Absent: 0. */
  readonly countIn?: number;
  /** To the next song. Absent: gapless. */
  readonly transition?: Transition;
}

export interface SongSpec extends SongMusic {
  readonly id: string;
  readonly title: string;
  readonly stems: readonly StemSpec[];
}

/** A parsed, validated setlist: songs in play order. */
export interface Setlist {
  readonly name: string;
  /** The JSON file or folder it was read from. */
  readonly source: string;
  readonly songs: readonly SongSpec[];
}

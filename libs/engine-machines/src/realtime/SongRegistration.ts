import type { Frames } from '../units.js';

/**
 * Where the mixer reads one stem's audio. Plain data that crosses to the audio thread once, when
 * the song is registered: the memory itself is shared (SharedArrayBuffer) when the mixer runs on
 * another thread.
 * - `window`: a `@trax/streaming-buffer` storage, the bounded window the control thread keeps filled;
 * - `whole`: the stem decoded whole (legacy mode), one array per channel.
 */
export type StemPcmSource =
  | { readonly kind: 'window'; readonly storage: ArrayBuffer | SharedArrayBuffer }
  | { readonly kind: 'whole'; readonly channels: readonly Float32Array[] };

/** One stem of a registered song. */
export interface StemRegistration {
  readonly channels: number;
  /** The stem's own length: past it the stem is silent, not starved (stems of a song may differ by a few frames). */
  readonly totalFrames: Frames;
  readonly gain: number;
  readonly muted: boolean;
  readonly solo: boolean;
  readonly pcm: StemPcmSource;
}

/**
 * What the control thread hands the mixer about a song before any command names it (the
 * `registerSong` message of the mixer port): ids, lengths, the stems' audio memory and the status
 * block in which the mixer publishes the song's counters (see `SongStatusField`).
 */
export interface SongRegistration {
  /** Unique per loaded song instance (a song played twice gets two instances). */
  readonly instance: number;
  readonly songId: string;
  readonly totalFrames: Frames;
  readonly stems: readonly StemRegistration[];
  readonly status: ArrayBuffer | SharedArrayBuffer;
  /** The bars of click played before the song's first frame when it starts from there, if it has a count-in. */
  readonly countIn?: CountInSource;
}

/**
 * A song's count-in: `frames` of click before its first frame, read from one of its stems (its own
 * click stem, frames [0, frames)) or from a generated click (mono, whole in memory). Played at the
 * stem's gain (unit gain for a generated click), whatever the mutes and solos: a count-in is heard.
 */
export interface CountInSource {
  readonly frames: Frames;
  readonly from: { readonly kind: 'stem'; readonly stem: number } | { readonly kind: 'click'; readonly pcm: StemPcmSource };
}

/** Indices into a song's status block (float64 values, written by the mixer only). */
export const SongStatusField = {
  /** The play position of the song's main voice. */
  position: 0,
  /** Quanta in which an audible stem of the song, while it was the main voice, missed data. */
  underrunQuanta: 1,
  /** Output frame of the first quantum with real data for every audible stem (−1 = not yet). */
  firstAudioAtOutputFrame: 2,
  /** Output frames of silence between the previous song's end and this one's start: a gap transition and any wait for data (0 = gapless). */
  transitionGapFrames: 3,
  /** Frames of count-in still to play before the song's first frame (0 = none, or done). */
  countInLeft: 4,
  /** Times the song's loop went back to its start since it was set. */
  loopWraps: 5,
  /** Per stem i: quanta it was audible and starved, at `stemBase + 2i`; 1 while starved, at `stemBase + 2i + 1`. */
  stemBase: 6,
} as const;

/** Values in the status block of a song of `stems` stems. */
export function songStatusCount(stems: number): number {
  return SongStatusField.stemBase + 2 * stems;
}

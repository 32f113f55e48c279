import type { Frames } from '../units.js';

/** What the mixer tells the control thread: one record of {@link EVENT_FIELDS} float64 fields in the event ring. */
export const MixerEventKind = {
  /**
   * A song's voice began producing audio (`outputFrame`); `id` = 1 when it followed the previous
   * song's end, `value` = output frames of silence since that end (a `gap` transition and any wait
   * for data: the transition gap), `detail` = frames of count-in played before its first frame.
   */
  Started: 1,
  /** The first quantum of `song` with real data for every audible stem, at `outputFrame`. */
  FirstAudio: 2,
  /**
   * Seek or jump `id` jumped to position `value` at `outputFrame`; `detail` = the position it left,
   * fading out (−1 = nothing fades: nothing was sounding, or a scheduled jump landed on time).
   */
  SeekLanded: 3,
  /** A voice of `song` went silent and let go of the song's audio; `id` = the seek whose fading voice it was, −1 for the song's last voice (a jump, a stop, an end). */
  Released: 4,
  /**
   * `song` played its last frame; the next one (if armed) continues at `outputFrame`. `id` = 1 when
   * a crossfade began instead: the song keeps sounding, fading out, for `value` more frames (then
   * `Released`).
   */
  Ended: 5,
  /** Stem `id` of `song` started missing data while audible (`value` = frames missing). */
  StemStarved: 6,
  /** Stem `id` of `song` has data again (or is no longer audible). */
  StemFed: 7,
  /** Jump `id`'s landing frame (`value`) came and its target's data was not there: it lands as soon as it is, with a crossfade. */
  JumpMissed: 8,
  /** Loop `id` of `song` went back from its end to its start (`detail`) at `outputFrame`; `value` = wraps so far. */
  LoopWrapped: 9,
  /** Loop `id` of `song` was released (now, at its end, or by a landing outside it) at `outputFrame`; `value` = wraps it made. */
  LoopReleased: 10,
} as const;
export type MixerEventKind = (typeof MixerEventKind)[keyof typeof MixerEventKind];

/** Fields: kind, song instance, id, output frame, value, detail. */
export const EVENT_FIELDS = 6;

/** An event as the control thread reads it (a plain object; the ring's record is reused). */
export interface MixerEvent {
  readonly kind: MixerEventKind;
  /** The song's instance id. */
  readonly song: number;
  readonly id: number;
  readonly outputFrame: Frames;
  readonly value: number;
  readonly detail: number;
}

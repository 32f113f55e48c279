import type { Frames } from '../units.js';
import type { PcmReader } from './PcmReader.js';
import { stereoMatrix } from './downmix.js';

/** Buffer sets per stem: the playing position, a crossfade partner, and a seek target loading. */
export const BUFFER_SETS = 3;

/** One stem as the mixer sees it. Built on the control thread; after that, mutated only by the mixer. */
export class MixStem {
  /** [L0, R0, L1, R1, ...] (see stereoMatrix). */
  readonly matrix: Float32Array;
  /** Linear gain, mute and solo: changed through `setStemCommand`, read on the audio thread. */
  gain: number;
  muted: boolean;
  solo: boolean;
  /** A stem that could not be loaded plays as silence and is never counted as starved. */
  failed = false;
  /** Audio thread: did the last rendered quantum miss data for this stem while it was audible? */
  starved = false;
  /** Audio thread: quanta in which this stem was audible and missed data. */
  starvedQuanta = 0;

  constructor(
    readonly index: number,
    readonly channels: number,
    /** One reader per buffer set (legacy mode: the same whole-stem reader in every set). */
    readonly sets: readonly PcmReader[],
    /** The stem's own length: past it the stem is silent, not starved (stems of a song may differ by a few frames). */
    readonly totalFrames: Frames,
    gain: number,
    muted = false,
    solo = false,
  ) {
    this.matrix = stereoMatrix(channels);
    this.gain = gain;
    this.muted = muted;
    this.solo = solo;
  }
}

/**
 * A song's mix layout: its stems, its length and the counters the mixer keeps for it. The control
 * thread builds it and hands it to the mixer in commands; the audio thread writes the counters
 * (position, underruns...), which the control thread reads after each quantum.
 */
export class MixSong {
  /** Audio thread: how many stems are soloed (solo wins: any solo mutes every stem not soloed). */
  soloCount = 0;
  /** Audio thread: the play position of the song's main voice (advanced only by the mixer). */
  position: Frames = 0;
  /** Audio thread: quanta in which any audible stem of the playing song missed data. */
  underrunQuanta = 0;
  /** Audio thread: output frame of the first quantum that had real data for every audible stem (-1 = not yet). */
  firstAudioAtOutputFrame = -1;
  /** Audio thread: output frames spent waiting for this song's first data after the previous song ended (gapless when 0). */
  transitionGapFrames = 0;

  constructor(
    /** Unique per loaded song instance (a song played twice gets two ids). */
    readonly id: number,
    readonly songId: string,
    readonly totalFrames: Frames,
    readonly stems: readonly MixStem[],
  ) {
    for (const stem of stems) if (stem.solo) this.soloCount++;
  }

  /**
   * Audio thread (or control thread for a song not yet handed to the mixer). Solo wins: while any
   * stem is soloed exactly the soloed stems play, muted or not; otherwise every unmuted stem plays.
   */
  isAudible(stem: MixStem): boolean {
    if (stem.failed || !(stem.gain > 0)) return false;
    return this.soloCount > 0 ? stem.solo : !stem.muted;
  }
}

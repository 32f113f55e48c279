import type { Frames } from '../units.js';
import type { MixSong } from './MixSong.js';

/**
 * A song being played by the mixer: where, what comes before its audio (a gap, a wait for data, a
 * count-in), and its fade. Audio thread only; no allocation.
 */
export class Voice {
  song: MixSong | null = null;
  position: Frames = 0;
  /** Frames of planned silence still to play before anything else (a `gap` transition). */
  gapLeft: Frames = 0;
  /** Waiting for its first data before it starts (a song start, or the next song after a gap). */
  waiting = false;
  /** While in a gap or waiting: count the silence as a transition gap (the previous song ended into it). */
  countsGap = false;
  /** Frames of count-in still to play before the song's first frame. */
  countInLeft: Frames = 0;
  /** Equal-power ramp: length 0 = none. */
  rampLength: Frames = 0;
  rampDone: Frames = 0;
  fadeIn = true;
  /** The seek that made this voice fade out (−1 for a whole song fading: a jump, a crossfade transition). */
  tag = -1;

  assign(song: MixSong, position: Frames): void {
    this.song = song;
    this.position = position;
    this.gapLeft = 0;
    this.waiting = false;
    this.countsGap = false;
    this.countInLeft = 0;
    this.rampLength = 0;
    this.rampDone = 0;
    this.tag = -1;
  }

  copyFrom(other: Voice): void {
    this.song = other.song;
    this.position = other.position;
    this.gapLeft = 0;
    this.waiting = other.waiting;
    this.countsGap = false;
    this.countInLeft = 0;
    this.rampLength = other.rampLength;
    this.rampDone = other.rampDone;
    this.fadeIn = other.fadeIn;
    this.tag = other.tag;
  }

  ramp(length: Frames, fadeIn: boolean): void {
    this.rampLength = length;
    this.rampDone = 0;
    this.fadeIn = fadeIn;
  }

  clear(): void {
    this.song = null;
    this.gapLeft = 0;
    this.waiting = false;
    this.countInLeft = 0;
    this.rampLength = 0;
    this.rampDone = 0;
  }

  ramping(): boolean {
    return this.rampLength > 0 && this.rampDone < this.rampLength;
  }

  /** Not sounding the song's own audio yet: in a gap, waiting for data, or counting in. */
  get beforeSong(): boolean {
    return this.gapLeft > 0 || this.waiting || this.countInLeft > 0;
  }
}

import type { Frames } from '../units.js';
import type { MixSong } from './MixSong.js';

/**
 * Messages from the control thread to the mixer, built by the factories below. The mixer applies
 * them at the start of its next render quantum, so a command never lands in the middle of one.
 */
export type MixerCommand =
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'stop' }
  | {
      readonly type: 'start';
      readonly song: MixSong;
      readonly set: number;
      readonly position: Frames;
      /** Fade-out of the song playing until now (a random song jump); 0 = cut. */
      readonly fadeOutFrames: Frames;
    }
  | { readonly type: 'armNext'; readonly song: MixSong | null; readonly set: number }
  | { readonly type: 'fadeOut'; readonly frames: Frames }
  | {
      readonly type: 'seek';
      readonly seekId: number;
      readonly song: MixSong;
      readonly set: number;
      readonly target: Frames;
      readonly crossfadeFrames: Frames;
    }
  | { readonly type: 'cancelSeek'; readonly seekId: number }
  | { readonly type: 'setStem'; readonly song: MixSong; readonly stem: number; readonly gain: number; readonly muted: boolean; readonly solo: boolean }
  | { readonly type: 'failStem'; readonly song: MixSong; readonly stem: number };

export const playCommand = (): MixerCommand => ({ type: 'play' });
export const pauseCommand = (): MixerCommand => ({ type: 'pause' });
export const stopCommand = (): MixerCommand => ({ type: 'stop' });

/** Make `song` the playing song from `position` (read from buffer `set`), as soon as its data is there. */
export const startCommand = (song: MixSong, set: number, position: Frames, fadeOutFrames: Frames): MixerCommand => ({
  type: 'start',
  song,
  set,
  position,
  fadeOutFrames,
});

/** Fade the playing song out over `frames` (a random song jump), leaving nothing playing until the next start. */
export const fadeOutCommand = (frames: Frames): MixerCommand => ({ type: 'fadeOut', frames });

/** The song to continue with, sample-exactly, when the playing one ends (null = none). */
export const armNextCommand = (song: MixSong | null, set = 0): MixerCommand => ({ type: 'armNext', song, set });

/** Jump the playing song to `target` once buffer `set` holds its data, then crossfade (equal power). */
export const seekCommand = (seekId: number, song: MixSong, set: number, target: Frames, crossfadeFrames: Frames): MixerCommand => ({
  type: 'seek',
  seekId,
  song,
  set,
  target,
  crossfadeFrames,
});

export const cancelSeekCommand = (seekId: number): MixerCommand => ({ type: 'cancelSeek', seekId });

export const setStemCommand = (song: MixSong, stem: number, gain: number, muted: boolean, solo: boolean): MixerCommand => ({
  type: 'setStem',
  song,
  stem,
  gain,
  muted,
  solo,
});

/** The stem cannot be loaded: play it as silence from now on, without counting underruns. */
export const failStemCommand = (song: MixSong, stem: number): MixerCommand => ({ type: 'failStem', song, stem });

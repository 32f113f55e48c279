import type { Frames } from '../units.js';

/**
 * Messages from the control thread to the mixer: plain data naming songs by instance id (never
 * objects), built by the factories below and written as one record of {@link COMMAND_FIELDS}
 * float64 fields into the command ring. The mixer applies them in order at the start of a render
 * quantum, so a command never lands in the middle of one.
 */
export type MixerCommand =
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'stop' }
  | {
      readonly type: 'start';
      readonly song: number;
      readonly position: Frames;
      /** Fade-out of the song playing until now (a random song jump); 0 = cut. */
      readonly fadeOutFrames: Frames;
    }
  | { readonly type: 'armNext'; readonly song: number }
  | { readonly type: 'fadeOut'; readonly frames: Frames }
  | { readonly type: 'seek'; readonly seekId: number; readonly song: number; readonly target: Frames; readonly crossfadeFrames: Frames }
  | { readonly type: 'cancelSeek'; readonly seekId: number }
  | { readonly type: 'setStem'; readonly song: number; readonly stem: number; readonly gain: number; readonly muted: boolean; readonly solo: boolean }
  | { readonly type: 'failStem'; readonly song: number; readonly stem: number }
  | { readonly type: 'unregister'; readonly song: number };

/** Float64 fields per command record: the code, then up to five arguments. */
export const COMMAND_FIELDS = 6;

/** Record codes (field 0); the mixer switches on these. */
export const CommandCode = {
  play: 1,
  pause: 2,
  stop: 3,
  start: 4,
  armNext: 5,
  fadeOut: 6,
  seek: 7,
  cancelSeek: 8,
  setStem: 9,
  failStem: 10,
  unregister: 11,
} as const;

/** No song (an `armNext` that disarms). */
export const NO_SONG = -1;

export const playCommand = (): MixerCommand => ({ type: 'play' });
export const pauseCommand = (): MixerCommand => ({ type: 'pause' });
export const stopCommand = (): MixerCommand => ({ type: 'stop' });

/** Make song `song` the playing song from `position`, as soon as its data is there. */
export const startCommand = (song: number, position: Frames, fadeOutFrames: Frames): MixerCommand => ({ type: 'start', song, position, fadeOutFrames });

/** Fade the playing song out over `frames` (a random song jump), leaving nothing playing until the next start. */
export const fadeOutCommand = (frames: Frames): MixerCommand => ({ type: 'fadeOut', frames });

/** The song to continue with, sample-exactly, when the playing one ends ({@link NO_SONG} = none). */
export const armNextCommand = (song: number): MixerCommand => ({ type: 'armNext', song });

/** Jump song `song` to `target` once its stems hold the target's data, then crossfade (equal power). */
export const seekCommand = (seekId: number, song: number, target: Frames, crossfadeFrames: Frames): MixerCommand => ({
  type: 'seek',
  seekId,
  song,
  target,
  crossfadeFrames,
});

export const cancelSeekCommand = (seekId: number): MixerCommand => ({ type: 'cancelSeek', seekId });

export const setStemCommand = (song: number, stem: number, gain: number, muted: boolean, solo: boolean): MixerCommand => ({
  type: 'setStem',
  song,
  stem,
  gain,
  muted,
  solo,
});

/** The stem cannot be loaded: play it as silence from now on, without counting underruns. */
export const failStemCommand = (song: number, stem: number): MixerCommand => ({ type: 'failStem', song, stem });

/** The mixer forgets the song (after it released it): its buffers are the control thread's again. */
export const unregisterCommand = (song: number): MixerCommand => ({ type: 'unregister', song });

/** Control thread: writes `command` as one record at `data[at ..]`. */
export function encodeCommand(command: MixerCommand, data: Float64Array, at: number): void {
  data[at] = CommandCode[command.type];
  data[at + 1] = 0;
  data[at + 2] = 0;
  data[at + 3] = 0;
  data[at + 4] = 0;
  data[at + 5] = 0;
  switch (command.type) {
    case 'start':
      data[at + 1] = command.song;
      data[at + 2] = command.position;
      data[at + 3] = command.fadeOutFrames;
      break;
    case 'armNext':
    case 'unregister':
      data[at + 1] = command.song;
      break;
    case 'fadeOut':
      data[at + 1] = command.frames;
      break;
    case 'seek':
      data[at + 1] = command.song;
      data[at + 2] = command.seekId;
      data[at + 3] = command.target;
      data[at + 4] = command.crossfadeFrames;
      break;
    case 'cancelSeek':
      data[at + 2] = command.seekId;
      break;
    case 'setStem':
      data[at + 1] = command.song;
      data[at + 2] = command.stem;
      data[at + 3] = command.gain;
      data[at + 4] = command.muted ? 1 : 0;
      data[at + 5] = command.solo ? 1 : 0;
      break;
    case 'failStem':
      data[at + 1] = command.song;
      data[at + 2] = command.stem;
      break;
    default:
      break;
  }
}

/**
 * Audio thread: the song a command record names (field 1), or {@link NO_SONG}. A command naming a
 * song whose registration has not reached the mixer yet waits at the head of the ring.
 */
export function commandSong(data: Float64Array, at: number): number {
  const code = data[at];
  const names = code === CommandCode.start || code === CommandCode.armNext || code === CommandCode.seek || code === CommandCode.setStem || code === CommandCode.failStem;
  return names ? data[at + 1] : NO_SONG;
}

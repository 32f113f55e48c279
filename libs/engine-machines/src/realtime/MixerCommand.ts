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
      /** Play the song's count-in first (only from frame 0, and only if the song has one). */
      readonly countIn: boolean;
    }
  | ({ readonly type: 'armNext'; readonly song: number } & HandOver)
  | { readonly type: 'fadeOut'; readonly frames: Frames }
  | {
      readonly type: 'seek';
      readonly seekId: number;
      readonly song: number;
      readonly target: Frames;
      readonly crossfadeFrames: Frames;
      /** The song frame at which to switch, sample-exactly ({@link LAND_NOW}: at the first quantum whose target data is there). */
      readonly landAt: Frames;
    }
  | { readonly type: 'loop'; readonly song: number; readonly loopId: number; readonly start: Frames; readonly end: Frames }
  | { readonly type: 'releaseLoop'; readonly song: number; readonly atEnd: boolean }
  | { readonly type: 'cancelSeek'; readonly seekId: number }
  | { readonly type: 'setStem'; readonly song: number; readonly stem: number; readonly gain: number; readonly muted: boolean; readonly solo: boolean }
  | { readonly type: 'failStem'; readonly song: number; readonly stem: number }
  | { readonly type: 'unregister'; readonly song: number };

/**
 * How the playing song hands over to the armed next one (the playing song's `transition`):
 * gapless (all 0), `gapFrames` of silence, or a `crossfadeFrames` overlap (equal power); then the
 * next song's count-in when `countIn` (not after a crossfade).
 */
export interface HandOver {
  readonly gapFrames: Frames;
  readonly crossfadeFrames: Frames;
  readonly countIn: boolean;
}

/** The next song's first frame follows the last one's. */
export const GAPLESS: HandOver = { gapFrames: 0, crossfadeFrames: 0, countIn: false };

/** A seek's `landAt` for "as soon as the target's data is there" (with a crossfade). */
export const LAND_NOW = -1;

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
  loop: 12,
  releaseLoop: 13,
} as const;

/** No song (an `armNext` that disarms). */
export const NO_SONG = -1;

export const playCommand = (): MixerCommand => ({ type: 'play' });
export const pauseCommand = (): MixerCommand => ({ type: 'pause' });
export const stopCommand = (): MixerCommand => ({ type: 'stop' });

/** Make song `song` the playing song from `position`, as soon as its data is there (after its count-in when `countIn`). */
export const startCommand = (song: number, position: Frames, fadeOutFrames: Frames, countIn = false): MixerCommand => ({ type: 'start', song, position, fadeOutFrames, countIn });

/** Fade the playing song out over `frames` (a random song jump), leaving nothing playing until the next start. */
export const fadeOutCommand = (frames: Frames): MixerCommand => ({ type: 'fadeOut', frames });

/** The song to continue with, sample-exactly, when the playing one ends ({@link NO_SONG} = none), and how. */
export const armNextCommand = (song: number, handOver: HandOver = GAPLESS): MixerCommand => ({ type: 'armNext', song, ...handOver });

/**
 * Jump song `song` to `target`. With `landAt` a song frame (a scheduled jump): exactly when the
 * play position reaches it, inside a quantum if need be, with no crossfade — or, if the target's
 * data is not there then, as soon as it is, with the crossfade (late). With {@link LAND_NOW} (a
 * seek): at the first quantum whose target data is there, then crossfade (equal power).
 */
export const seekCommand = (seekId: number, song: number, target: Frames, crossfadeFrames: Frames, landAt: Frames = LAND_NOW): MixerCommand => ({
  type: 'seek',
  seekId,
  song,
  target,
  crossfadeFrames,
  landAt,
});

/** Repeat song frames [start, end) of `song` (replacing its loop, if any): reaching `end` it goes back to `start`, sample-exactly. */
export const loopCommand = (song: number, loopId: number, start: Frames, end: Frames): MixerCommand => ({ type: 'loop', song, loopId, start, end });

/** Stop repeating: now (playback goes on from where it is), or at the loop's end (played once more through). */
export const releaseLoopCommand = (song: number, atEnd: boolean): MixerCommand => ({ type: 'releaseLoop', song, atEnd });

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
      data[at + 4] = command.countIn ? 1 : 0;
      break;
    case 'armNext':
      data[at + 1] = command.song;
      data[at + 2] = command.gapFrames;
      data[at + 3] = command.crossfadeFrames;
      data[at + 4] = command.countIn ? 1 : 0;
      break;
    case 'unregister':
      data[at + 1] = command.song;
      break;
    case 'loop':
      data[at + 1] = command.song;
      data[at + 2] = command.start;
      data[at + 3] = command.end;
      data[at + 4] = command.loopId;
      break;
    case 'releaseLoop':
      data[at + 1] = command.song;
      data[at + 2] = command.atEnd ? 1 : 0;
      break;
    case 'fadeOut':
      data[at + 1] = command.frames;
      break;
    case 'seek':
      data[at + 1] = command.song;
      data[at + 2] = command.seekId;
      data[at + 3] = command.target;
      data[at + 4] = command.crossfadeFrames;
      data[at + 5] = command.landAt;
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
  const names =
    code === CommandCode.start ||
    code === CommandCode.armNext ||
    code === CommandCode.seek ||
    code === CommandCode.setStem ||
    code === CommandCode.failStem ||
    code === CommandCode.loop ||
    code === CommandCode.releaseLoop;
  return names ? data[at + 1] : NO_SONG;
}

import { COMMAND_FIELDS } from './MixerCommand.js';
import { EVENT_FIELDS } from './MixerEvent.js';
import { SpscRing } from './SpscRing.js';
import { StatusBlock } from './StatusBlock.js';

/**
 * The memory the control thread and the mixer share: the command ring (control → audio), the
 * event ring (audio → control) and the mixer's status block. Made once by the control side and
 * handed to the audio thread when the mixer starts; nothing else crosses afterwards but song
 * registrations.
 */
export interface MixerMemory {
  readonly commands: ArrayBuffer | SharedArrayBuffer;
  readonly events: ArrayBuffer | SharedArrayBuffer;
  readonly status: ArrayBuffer | SharedArrayBuffer;
}

/** Indices into the mixer's status block (float64 values, written by the mixer only). */
export const MixerStatusField = {
  /** Frames rendered since the mixer started: the output clock. */
  outputFrames: 0,
  /** 1 while the transport runs. */
  playing: 1,
  /** Instance of the main voice's song (playing, or waiting for data to start), −1 = none. */
  currentSong: 2,
  /** 1 while the main voice waits for its first data (a start, or the next song after a gap). */
  waiting: 3,
  /** The pending seek's id, −1 = none. */
  pendingSeek: 4,
  /** Instance armed to follow the current song, −1 = none. */
  armedNext: 5,
  /** Commands applied so far (the control side compares with what it posted). */
  commandsApplied: 6,
  /** Instance of the song whose voice is fading out (a jump or a seek crossfade), −1 = none. */
  fadingSong: 7,
} as const;
const STATUS_VALUES = 8;

/**
 * 1024 commands: a performer's burst (a seek storm, a mixer scene) is tens; the control side keeps
 * anything beyond in order until there is room, so none is ever lost.
 */
export const COMMAND_CAPACITY = 1024;
/**
 * 4096 events ≈ the events of a few seconds of the busiest playback (30 stems starving and fed
 * every quantum would be 60 per quantum): the control side drains every few milliseconds; more
 * than that are dropped and counted.
 */
export const EVENT_CAPACITY = 4096;

export function createMixerMemory(shared: boolean): MixerMemory {
  return {
    commands: SpscRing.create(COMMAND_CAPACITY, COMMAND_FIELDS, shared).buffer,
    events: SpscRing.create(EVENT_CAPACITY, EVENT_FIELDS, shared).buffer,
    status: StatusBlock.create(STATUS_VALUES, shared).buffer,
  };
}

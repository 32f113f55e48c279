import type { MessagePort } from 'node:worker_threads';
import type { MixerMemory } from '../realtime/MixerMemory.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import type { Frames } from '../units.js';

/** What the audio thread is started with (its `workerData`): plain data and shared memory only. */
export interface AudioThreadData {
  readonly memory: MixerMemory;
  /** Int32 × 2: [0] 1 while the thread should run; [1] a word the thread sleeps on (never changes; notified to wake it). */
  readonly control: SharedArrayBuffer;
  /** The thread's own counters (see `AudioThreadStat`), a status block. */
  readonly stats: SharedArrayBuffer;
  /** Where rendered audio goes (a `PcmRing` of stereo frames), or null when nobody listens. */
  readonly output: SharedArrayBuffer | null;
  /** Song registrations arrive here (read synchronously between render calls). */
  readonly registrations: MessagePort;
  readonly sampleRate: number;
  readonly quantumFrames: Frames;
  /** How far ahead of the output clock the thread renders (a sound card's buffer). */
  readonly aheadFrames: Frames;
}

/** Indices into the audio thread's status block. */
export const AudioThreadStat = {
  /** Quanta rendered. */
  quanta: 0,
  /** Quanta rendered after the moment they should have started playing (the thread was late: a device would have glitched). */
  lateQuanta: 1,
  /** Longest render call so far, in microseconds. */
  maxRenderMicros: 2,
  /** Sum of render times, in microseconds (with `quanta`, the mean). */
  totalRenderMicros: 3,
} as const;
export const AUDIO_THREAD_STATS = 4;

/** A song registration as it travels to the audio thread: adopted once `afterCommand` commands were applied. */
export interface RegistrationMessage {
  readonly registration: SongRegistration;
  readonly afterCommand: number;
}

import type { MixerCommand } from '../realtime/MixerCommand.js';
import type { MixerEvent } from '../realtime/MixerEvent.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import type { Frames } from '../units.js';

/** What the control thread may know of the mixer: the status block it publishes after every render call. */
export interface MixerStatus {
  /** Frames rendered so far: the output clock. */
  readonly outputFrames: Frames;
  readonly playing: boolean;
  /** Instance of the main voice's song (playing, or waiting to start), or null. */
  readonly currentSong: number | null;
  /** The main voice waits for its first data (a start, or the next song after a gap). */
  readonly waitingForData: boolean;
  /** The seek the mixer will land when its data is there, or null. */
  readonly pendingSeek: number | null;
  /** Instance armed to follow the current song, or null. */
  readonly armedNext: number | null;
  /** Instance of the song whose voice is fading out, or null. */
  readonly fadingSong: number | null;
  /** Commands posted and not yet applied by the mixer. */
  readonly pendingCommands: number;
  /** Events the mixer had to drop because they were not drained in time. */
  readonly droppedEvents: number;
}

/**
 * Port: the engine's one line to the real-time mixer, wherever it runs. Every actor-to-mixer
 * message goes through here: songs are registered once (their stems' audio memory handed over),
 * then named by instance id in plain-data commands; events come back through `drainEvents` (the
 * pump) and state through `status()` and each song's status block. Control thread only.
 *
 * Implementations: {@link InProcessMixer} (the mixer on this thread, driven by an offline
 * `RenderSink`), the Node audio thread (`@trax/engine-machines/node`: `AudioThreadMixer`, behind
 * `RealtimeSink`) and, in a browser, an AudioWorklet.
 */
export interface MixerPort {
  /** The stems' audio memory must be SharedArrayBuffers (the mixer runs on another thread). */
  readonly sharedMemory: boolean;
  /** The mixer renders on its own clock (an audio thread); false when a sink calls `render` (offline). */
  readonly freeRunning: boolean;
  readonly sampleRate: number;
  /** Hands a song to the mixer before any command names it. */
  registerSong(registration: SongRegistration): void;
  /** Queues a command for the start of the mixer's next render call; never lost, never reordered. */
  post(command: MixerCommand): void;
  /** Visits (and removes) the events the mixer emitted since the last drain, oldest first. */
  drainEvents(visit: (event: MixerEvent) => void): void;
  /** The mixer's latest published status. */
  status(): MixerStatus;
  /** Stops the mixer (an audio thread ends); afterwards nothing renders. */
  close(): Promise<void>;
}

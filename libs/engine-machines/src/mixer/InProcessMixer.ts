import { Mixer } from '../realtime/Mixer.js';
import { createMixerMemory } from '../realtime/MixerMemory.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import type { Frames } from '../units.js';
import { MixerClient } from './MixerClient.js';
import { ClientMixerPort } from './ClientMixerPort.js';

/**
 * The mixer on the control thread itself, rendered only when a sink calls `render` (an offline
 * bounce with `RenderSink`, tests): deterministic, the same samples whatever the machine's speed.
 * It goes through the same rings and status blocks as a mixer on an audio thread, so the engine
 * cannot tell the difference. Control thread.
 */
export class InProcessMixer extends ClientMixerPort {
  readonly sharedMemory = false;
  readonly freeRunning = false;
  private readonly mixer: Mixer;

  constructor(sampleRate: number) {
    const memory = createMixerMemory(false);
    super(sampleRate, new MixerClient(memory));
    this.mixer = new Mixer(memory);
  }

  registerSong(registration: SongRegistration): void {
    // Adopted after the commands posted so far, as a message to an audio thread would be.
    if (!this.mixer.register(registration, this.client.posted)) throw new Error(`too many song registrations pending for the mixer (${registration.songId})`);
  }

  /** Renders `frames` frames into `out` (stereo) now. */
  render(out: Float32Array[], frames: Frames): void {
    this.client.flush();
    this.mixer.render(out, frames);
  }

  /** Nothing runs on its own: the mixer just stops being rendered. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

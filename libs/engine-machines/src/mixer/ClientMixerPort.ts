import type { MixerCommand } from '../realtime/MixerCommand.js';
import type { MixerEvent } from '../realtime/MixerEvent.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import type { MixerClient } from './MixerClient.js';
import type { MixerPort, MixerStatus } from './MixerPort.js';

/**
 * What every mixer port shares: commands, events and status go through the control thread's
 * {@link MixerClient} over the shared memory; a port only says how a song's registration reaches
 * its mixer and how the mixer stops. Control thread.
 */
export abstract class ClientMixerPort implements MixerPort {
  abstract readonly sharedMemory: boolean;
  abstract readonly freeRunning: boolean;

  constructor(
    readonly sampleRate: number,
    protected readonly client: MixerClient,
  ) {}

  abstract registerSong(registration: SongRegistration): void;
  abstract close(): Promise<void>;

  post(command: MixerCommand): void {
    this.client.post(command);
  }

  drainEvents(visit: (event: MixerEvent) => void): void {
    this.client.drainEvents(visit);
  }

  status(): MixerStatus {
    return this.client.status();
  }
}

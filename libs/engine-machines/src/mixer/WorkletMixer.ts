import { createMixerMemory } from '../realtime/MixerMemory.js';
import { PcmRing } from '../realtime/PcmRing.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import { MIXER_PROCESSOR } from '../worklet/workletProtocol.js';
import type { WorkletRegistration, WorkletSetup } from '../worklet/workletProtocol.js';
import { audioWorkletNodeClass } from '../worklet/webAudio.js';
import type { AudioContextLike, AudioNodeLike, AudioWorkletNodeLike } from '../worklet/webAudio.js';
import { MixerClient } from './MixerClient.js';
import { ClientMixerPort } from './ClientMixerPort.js';

export interface WorkletMixerOptions {
  /** URL of the bundled `worklet/mixerProcessor` module. */
  readonly moduleUrl: string | URL;
  /** Keep a copy of the output this long (seconds) for meters and tests (default: none). */
  readonly tapSeconds?: number;
  /** Where the mixer's output goes (default: the context's destination). */
  readonly destination?: AudioNodeLike;
}

/**
 * The mixer in a browser's audio thread (an AudioWorklet): the control thread's port to it.
 * Commands, events and status cross in SharedArrayBuffers exactly as with the Node audio thread;
 * song registrations go once through the node's message port. The page must be cross-origin
 * isolated (COOP/COEP) for SharedArrayBuffer. Control thread (the page).
 *
 * @example
 * const context = new AudioContext({ latencyHint: 'interactive' });
 * const mixer = await WorkletMixer.create(context, { moduleUrl: '/mixerProcessor.js' });
 * const engine = createEngine({ loader, mixer });
 */
export class WorkletMixer extends ClientMixerPort {
  readonly sharedMemory = true;
  readonly freeRunning = true;
  /** The output as the processor rendered it (when created with `tapSeconds`). */
  readonly tap: PcmRing | null;

  private constructor(
    private readonly node: AudioWorkletNodeLike,
    client: MixerClient,
    tap: PcmRing | null,
    sampleRate: number,
  ) {
    super(sampleRate, client);
    this.tap = tap;
  }

  static async create(context: AudioContextLike, options: WorkletMixerOptions): Promise<WorkletMixer> {
    await context.audioWorklet.addModule(String(options.moduleUrl));
    const memory = createMixerMemory(true);
    const tap = options.tapSeconds ? PcmRing.create(Math.ceil(options.tapSeconds * context.sampleRate), 2, true) : null;
    const setup: WorkletSetup = { memory, tap: (tap?.buffer as SharedArrayBuffer | undefined) ?? null };
    const AudioWorkletNode = audioWorkletNodeClass();
    const node = new AudioWorkletNode(context, MIXER_PROCESSOR, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      processorOptions: setup,
    });
    node.connect(options.destination ?? context.destination);
    return new WorkletMixer(node, new MixerClient(memory), tap, context.sampleRate);
  }

  registerSong(registration: SongRegistration): void {
    const message: WorkletRegistration = { registration, afterCommand: this.client.posted };
    this.node.port.postMessage(message);
  }

  async close(): Promise<void> {
    this.node.disconnect();
    this.node.port.close();
  }
}

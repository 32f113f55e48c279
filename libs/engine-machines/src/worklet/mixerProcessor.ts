/*
 * The mixer as an AudioWorkletProcessor (module `trax-mixer`): the same real-time code as the
 * Node audio thread, in the browser's audio thread. Load this module with
 * `audioContext.audioWorklet.addModule(url)` (bundled, e.g. by esbuild); `WorkletMixer` creates
 * the node and is the control thread's port. Song registrations arrive as port messages, handled
 * between render calls (that is where they allocate); `process` only renders, never allocates,
 * awaits or throws.
 */
import { Mixer } from '../realtime/Mixer.js';
import { PcmRing } from '../realtime/PcmRing.js';
import type { WorkletRegistration, WorkletSetup } from './workletProtocol.js';
import { MIXER_PROCESSOR } from './workletProtocol.js';

// The AudioWorkletGlobalScope's own names (not in TypeScript's DOM library).
declare const registerProcessor: (name: string, processor: new (options: { processorOptions: WorkletSetup }) => unknown) => void;
declare class AudioWorkletProcessor {
  readonly port: { onmessage: ((event: { data: unknown }) => void) | null };
}

class MixerProcessor extends AudioWorkletProcessor {
  private readonly mixer: Mixer;
  private readonly tap: PcmRing | null;

  constructor(options: { processorOptions: WorkletSetup }) {
    super();
    const setup = options.processorOptions;
    this.mixer = new Mixer(setup.memory);
    this.tap = setup.tap ? new PcmRing(setup.tap, 2) : null;
    this.port.onmessage = (event) => {
      // Between render calls: build the song's readers; adopted in command order by `render`.
      const message = event.data as WorkletRegistration;
      this.mixer.register(message.registration, message.afterCommand);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (out && out.length > 0) {
      const frames = out[0].length;
      this.mixer.render(out, frames);
      this.tap?.write(out, frames);
    }
    return true;
  }
}

registerProcessor(MIXER_PROCESSOR, MixerProcessor);

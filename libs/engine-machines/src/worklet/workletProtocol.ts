import type { MixerMemory } from '../realtime/MixerMemory.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';

/** The name the mixer's AudioWorkletProcessor is registered under. */
export const MIXER_PROCESSOR = 'trax-mixer';

/** The processor's `processorOptions`: shared memory only. */
export interface WorkletSetup {
  readonly memory: MixerMemory;
  /** A `PcmRing` (stereo) the processor copies its output into, for meters and tests; null = none. */
  readonly tap: SharedArrayBuffer | null;
}

/** A song registration as it travels to the worklet: adopted once `afterCommand` commands were applied. */
export interface WorkletRegistration {
  readonly registration: SongRegistration;
  readonly afterCommand: number;
}

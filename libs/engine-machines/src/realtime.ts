/** @packageDocumentation What the audio thread runs: the mixer and the shared-memory protocol it speaks (no Node, rxjs or xstate). */
export { Mixer, MAX_QUANTUM_FRAMES, MAX_STEM_CHANNELS } from './realtime/Mixer.js';
export type { MixerMemory } from './realtime/MixerMemory.js';
export { PcmRing } from './realtime/PcmRing.js';
export type { SongRegistration, StemPcmSource, StemRegistration } from './realtime/SongRegistration.js';

/** @packageDocumentation The Node-only parts of `@trax/engine-machines`: the real-time audio thread, WAV files, setlists from disk, and the legacy whole-stem decoder over files. */
export { RealtimeSink } from './node/RealtimeSink.js';
export type { AudioThreadStats, RealtimeSinkOptions } from './node/RealtimeSink.js';
export { WavWriter, parseFloatWav } from './node/WavWriter.js';
export { chunkDecoderWholeStem } from './node/chunkDecoderWholeStem.js';
export { loadSetlist } from './setlist/loadSetlist.js';

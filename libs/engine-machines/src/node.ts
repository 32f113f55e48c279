/** @packageDocumentation The Node-only parts of `@trax/engine-machines`: the real-time audio thread, WAV files, setlists from disk, the legacy whole-stem decoder over files, the pre-show check's probes and the resume journal's atomic file store. */
export { RealtimeSink } from './node/RealtimeSink.js';
export type { AudioThreadStats, RealtimeSinkOptions } from './node/RealtimeSink.js';
export { WavWriter, parseFloatWav } from './node/WavWriter.js';
export { chunkDecoderWholeStem } from './node/chunkDecoderWholeStem.js';
export { loadSetlist, SONG_JSON } from './setlist/loadSetlist.js';
export type { LoadSetlistOptions } from './setlist/loadSetlist.js';
export { nodeStemProber, PROBE_FRAMES } from './node/nodeStemProber.js';
export type { NodeStemProberOptions } from './node/nodeStemProber.js';
export { nodeCacheCoverage } from './node/nodeCacheCoverage.js';
export { nodeThroughputMeter } from './node/nodeThroughputMeter.js';
export type { NodeThroughputOptions } from './node/nodeThroughputMeter.js';
export { nodeJournalStore } from './node/nodeJournalStore.js';
export type { NodeJournalStoreOptions } from './node/nodeJournalStore.js';
export { nodeCheckPorts } from './node/nodeCheckPorts.js';
export type { NodeCheckPortsOptions } from './node/nodeCheckPorts.js';

/** @packageDocumentation Node-only parts of the Trax engine: the pre-show check's probes over files, the cache and the disk, and the resume journal's atomic file store. */
export { nodeStemProber, PROBE_FRAMES } from './node/nodeStemProber.js';
export type { NodeStemProberOptions } from './node/nodeStemProber.js';
export { openHttpByteSource, HttpStemError } from './node/httpByteSource.js';
export { nodeCacheCoverage } from './node/nodeCacheCoverage.js';
export { nodeThroughputMeter } from './node/nodeThroughputMeter.js';
export type { NodeThroughputOptions } from './node/nodeThroughputMeter.js';
export { nodeJournalStore } from './node/nodeJournalStore.js';
export type { NodeJournalStoreOptions } from './node/nodeJournalStore.js';

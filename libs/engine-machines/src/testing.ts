/** @packageDocumentation Deterministic fakes for tests of `@trax/engine-machines` and of the apps built on it (not part of the main API). */
export { FakeChunkSource, FakeCancelledError } from './testing/FakeChunkSource.js';
export type { FakeChunkSourceOptions, FakeRequest, FakeStemShape } from './testing/FakeChunkSource.js';
export { syntheticPcm, syntheticSample } from './testing/syntheticPcm.js';
export { fakeStemFacts, fakeStemProber, fakeCacheCoverage, fakeThroughputMeter } from './testing/fakeCheckPorts.js';
export { MemoryJournalStore } from './testing/MemoryJournalStore.js';

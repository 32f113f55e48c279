/**
 * @packageDocumentation What the audio thread runs (an AudioWorklet processor, or a real-time
 * callback): a reader over a stem buffer's storage, posted once from the control thread, and the
 * status of a read. After `BufferReader.fromBuffer` nothing here allocates, awaits or throws; it
 * imports only the storage layout and its error.
 */
export { BufferReader } from './realtime/BufferReader.js';
export { readStatus } from './realtime/readStatus.js';
export type { ReadStatus } from './realtime/readStatus.js';
export { StorageLayoutError } from './errors.js';
export type { ChunkIndex, Frames } from './units.js';

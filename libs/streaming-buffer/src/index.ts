/** @packageDocumentation Bounded rolling window of decoded chunks per stem, read allocation-free by the audio callback. */
export { StreamingBuffer } from './StreamingBuffer.js';
export type { BufferStats, FillLevel, HeldChunk } from './StreamingBuffer.js';
export { BufferReader } from './realtime/BufferReader.js';
export { readStatus } from './realtime/readStatus.js';
export type { ReadStatus } from './realtime/readStatus.js';
export type { Chunk, PushOutcome, PushPart, PushResult } from './Chunk.js';
export { DEFAULT_BUFFER_CHUNKS, MAX_FRAMES } from './config.js';
export type { BufferConfig, StreamingBufferOptions } from './config.js';
export { chunkCount, chunkIndexAt, chunkLength } from './chunkGrid.js';
export type { ChunkGrid } from './chunkGrid.js';
export { wantedChunks } from './refillPolicy.js';
export type { HeldRange } from './refillPolicy.js';
export { storageByteLength } from './storage/BufferStorage.js';
export { BufferConfigError, InvalidChunkError, InvalidPositionError, StorageLayoutError } from './errors.js';
export type { ChunkContext } from './errors.js';
export type { ChunkIndex, Frames, Seconds } from './units.js';

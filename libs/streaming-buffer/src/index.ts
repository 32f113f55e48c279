/**
 * @packageDocumentation Bounded rolling window of decoded chunks per stem, read allocation-free by
 * the audio callback. Runs anywhere (no Node API, no dependency). What the audio thread itself runs
 * is in `@trax/streaming-buffer/realtime`.
 */
export { StreamingBuffer } from './StreamingBuffer.js';
export type { BufferStats, FillLevel, HeldChunk } from './StreamingBuffer.js';
export type { BufferReader } from './realtime/BufferReader.js';
export type { Chunk, PushOutcome, PushPart, PushResult } from './Chunk.js';
export type { BufferConfig, StreamingBufferOptions } from './config.js';
export { BufferConfigError, InvalidChunkError, InvalidPositionError, StorageLayoutError } from './errors.js';
export type { ChunkContext } from './errors.js';
export type { ChunkIndex, Frames, Seconds } from './units.js';

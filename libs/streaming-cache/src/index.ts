/**
 * @packageDocumentation Persistent, size-limited, self-healing disk cache of decoded chunks (the
 * first minute of every stem). This entry runs anywhere, a browser page and its workers included:
 * the cache's types and ports, its errors, its loggers and the FLAC chunk codec. The disk cache
 * itself is in `@trax/streaming-cache/node`.
 */
export type { CachePcm, WriteOutcome, CacheExpectation, CacheStats, EvictionResult } from './types.js';
export type { StemCacheInfo, SourceIdentity } from './format/metadata.js';
export { CacheConfigError, CacheUsageError } from './errors.js';
export { consoleLogger, silentLogger } from './ports/Logger.js';
export type { Logger, LogLevel, LogContext } from './ports/Logger.js';
export type { CacheFileSystem, FileStat } from './ports/FileSystem.js';
export type { ProcessIdentity } from './ports/ProcessIdentity.js';
export { flacChunkCodec } from './format/flacChunkCodec.js';
export type { ChunkCodec, ChunkFormat, DecodedChunkFile } from './ports/ChunkCodec.js';

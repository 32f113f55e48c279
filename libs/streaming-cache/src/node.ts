/**
 * @packageDocumentation The disk cache and its Node defaults (`node:fs`, `node:os`, `node:crypto`):
 * `StreamingCache`, its adapter to the chunk loader's store port, and the Node implementations of
 * its file system and process ports. Types, errors and loggers are in `@trax/streaming-cache`.
 */
export { StreamingCache } from './StreamingCache.js';
export type { StreamingCacheOptions } from './options.js';
export { streamingCacheStore } from './streamingCacheStore.js';
export type { StemChunkStore, CachedStemDescription } from './streamingCacheStore.js';
export { identifySource } from './disk/sourceIdentity.js';
export { defaultCacheDirectory } from './disk/cacheLocation.js';
export type { LocationContext } from './disk/cacheLocation.js';
export { nodeFileSystem } from './disk/nodeFileSystem.js';
export { nodeProcessIdentity } from './disk/nodeProcessIdentity.js';

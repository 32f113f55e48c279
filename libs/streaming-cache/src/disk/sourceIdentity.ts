import path from 'node:path';
import type { SourceIdentity } from '../format/metadata.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import { nodeFileSystem } from './nodeFileSystem.js';

/**
 * The identity of a source file as the cache records it: absolute path, size and modification
 * time from `stat`, plus the STREAMINFO MD5 the caller read from its header (e.g. `ChunkDecoder.md5`).
 *
 * @example
 * ```ts
 * const decoder = await openFileDecoder(file);   // @trax/chunk-decoder/node
 * const source = await identifySource(file, decoder.md5);
 * ```
 */
export async function identifySource(file: string, md5: string, fs: CacheFileSystem = nodeFileSystem): Promise<SourceIdentity> {
  const absolute = path.resolve(file);
  const info = await fs.stat(absolute);
  return { path: absolute, size: info.size, mtimeMs: info.mtimeMs, md5: md5.toLowerCase() };
}

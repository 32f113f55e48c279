import path from 'node:path';
import { writeFileAtomic } from '../disk/atomicFile.js';
import { isCode } from '../disk/systemErrors.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import type { ProcessIdentity } from '../ports/ProcessIdentity.js';

/**
 * `index.json` in the cache folder: when each song was last used, so LRU order survives a restart.
 * Written atomically but without fsync (losing the last second of recency to a power cut is
 * harmless); a missing or damaged file is not an error — recency then falls back to the
 * modification times of the entries' metadata.json files.
 */
export const RECENCY_FILE = 'index.json';
const RECENCY_FORMAT = 'trax-streaming-cache-recency';
const RECENCY_VERSION = 1;

export async function readRecency(fs: CacheFileSystem, root: string): Promise<Map<string, number>> {
  const recency = new Map<string, number>();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(await fs.readFile(path.join(root, RECENCY_FILE))));
  } catch (error) {
    if (error instanceof SyntaxError || isCode(error, 'ENOENT')) return recency;
    throw error;
  }
  if (typeof value !== 'object' || value === null) return recency;
  const { format, version, songs } = value as Record<string, unknown>;
  if (format !== RECENCY_FORMAT || version !== RECENCY_VERSION || !Array.isArray(songs)) return recency;
  for (const pair of songs as unknown[]) {
    if (!Array.isArray(pair)) continue;
    const [song, lastUsed] = pair as unknown[];
    if (typeof song === 'string' && typeof lastUsed === 'number' && Number.isFinite(lastUsed)) recency.set(song, lastUsed);
  }
  return recency;
}

/** `songs`: [song ID, last use] pairs (an array, not an object: any string is a valid song ID, `__proto__` too). */
export async function writeRecency(fs: CacheFileSystem, identity: ProcessIdentity, root: string, songs: [string, number][]): Promise<void> {
  const text = JSON.stringify({ format: RECENCY_FORMAT, version: RECENCY_VERSION, songs });
  await writeFileAtomic(fs, identity, path.join(root, RECENCY_FILE), new TextEncoder().encode(text), false);
}

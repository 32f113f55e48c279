import { LOCK_BUSY } from './entryLock.js';
import type { EntryStore } from './EntryStore.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import type { Logger } from '../ports/Logger.js';
import { readRecency } from '../index/recencyFile.js';

/** One entry found on disk, with its song's recency. */
export interface ScannedEntry {
  readonly name: string;
  readonly song: string;
  readonly bytes: number;
  readonly lastUsed: number;
}

export interface ScanResult {
  /** Least recently used song first (the order to insert them into the LRU index). */
  readonly entries: ScannedEntry[];
  /** Entries dropped for damaged metadata. */
  readonly corrupt: number;
}

/** Folders checked at once: enough to overlap I/O waits without flooding the disk queue. */
const PARALLEL = 8;

/**
 * The startup pass over the cache folder: remove leftovers of crashed processes, drop folders whose
 * metadata.json is missing or damaged, delete chunk files no metadata.json names, measure every
 * entry's bytes on disk, and date each song by `index.json` or, newer or missing there, by its
 * entries' metadata.json modification times. Folders another live process holds locked are
 * measured but not tidied.
 */
export async function scanCache(store: EntryStore, fs: CacheFileSystem, root: string, logger: Logger): Promise<ScanResult> {
  await store.removeRootLeftovers();
  const recency = await readRecency(fs, root);
  const names = await store.listEntryNames();
  const found: { name: string; song: string; bytes: number; modified: number }[] = [];
  let corrupt = 0;

  const visit = async (name: string): Promise<void> => {
    const read = await store.readMetadata(name);
    if (read.kind !== 'valid') {
      // Try-lock (no waiting): a live writer between mkdir and its first commit holds it.
      const removed = await store.withLock(name, false, () => store.removeFolder(name), 0).catch(() => LOCK_BUSY);
      if (removed === LOCK_BUSY) return;
      if (read.kind === 'corrupt') {
        corrupt++;
        logger.warn(`StreamingCache: cache entry ${name} is damaged (${read.file}: ${read.reason}); dropped`);
      } else logger.debug(`StreamingCache: removed ${name}, an entry a crashed writer left without metadata.json`);
      return;
    }
    await store.withLock(name, false, () => store.tidyLocked(name, read.meta), 0).catch(() => undefined);
    try {
      found.push({ name, song: read.meta.song, bytes: await store.diskBytes(name), modified: await store.metadataModifiedMs(name) });
    } catch {
      // Removed by another process while we looked: not an entry any more.
    }
  };
  for (let i = 0; i < names.length; i += PARALLEL) await Promise.all(names.slice(i, i + PARALLEL).map(visit));

  const songUse = new Map<string, number>();
  for (const entry of found) songUse.set(entry.song, Math.max(songUse.get(entry.song) ?? recency.get(entry.song) ?? 0, entry.modified));
  const entries = found.map((entry) => ({ name: entry.name, song: entry.song, bytes: entry.bytes, lastUsed: songUse.get(entry.song) ?? 0 }));
  entries.sort((a, b) => a.lastUsed - b.lastUsed || (a.song < b.song ? -1 : a.song > b.song ? 1 : 0));
  return { entries, corrupt };
}

import { FOLDER_GONE, LOCK_BUSY } from './entryLock.js';
import type { EntryRef, EntryStore } from './EntryStore.js';
import { CacheUsageError } from '../errors.js';
import type { KeyedMutex } from './KeyedMutex.js';
import { chunkFileName, newEntryMetadata, sameStemInfo, START_FILE, withChunk, withStart, type EntryMetadata, type StemCacheInfo } from '../format/metadata.js';
import { describeError, isCode } from './systemErrors.js';
import type { Logger } from '../ports/Logger.js';
import type { SongIndex } from '../index/SongIndex.js';
import type { WriteOutcome } from '../types.js';

const TAG = 'StreamingCache:';
/** Errors that mean "this disk will not take our writes": writing stops for the session, reading goes on. */
export const WRITE_STOPPERS = ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS'];

/** A chunk file ready to commit, with chunk 0's instant-start slice when there is one. */
export interface EncodedChunk {
  readonly index: number;
  readonly frames: number;
  readonly bytes: Uint8Array;
  readonly start?: { readonly frames: number; readonly bytes: Uint8Array };
}

export interface CacheWriterDeps {
  readonly store: EntryStore;
  readonly mutex: KeyedMutex;
  readonly index: SongIndex;
  readonly logger: Logger;
  readonly directory: string;
  /** A song was written to (it becomes the most recently used). */
  readonly onUsed: (song: string) => void;
}

/**
 * The write side of the cache: commits under the entry's in-process and cross-process locks, keeps
 * accounting equal to the disk after every commit (and every failed one), and switches writing
 * off for the session on the first disk-full or permission error.
 */
export class CacheWriter {
  private stop: string | undefined;

  constructor(private readonly deps: CacheWriterDeps) {}

  /** False once a disk-full or permission error switched writing off. */
  get writable(): boolean {
    return this.stop === undefined;
  }

  /**
   * Makes the entry's metadata.json describe `info` (resetting an entry of another source or
   * layout), then, with `chunk`, adds the chunk file and commits it. Disk errors become 'failed'.
   */
  async commit(ref: EntryRef, info: StemCacheInfo, chunk: EncodedChunk | undefined): Promise<WriteOutcome> {
    try {
      return await this.commitLocked(ref, info, chunk);
    } catch (error) {
      if (error instanceof CacheUsageError) throw error;
      if (isCode(error, ...WRITE_STOPPERS)) this.stopWriting(error, `write ${ref.song}/${ref.stem}`);
      else this.deps.logger.warn(`${TAG} could not write ${ref.song}/${ref.stem} (${describeError(error)}); playback is not affected`, { error });
      // Measure again what the failed write left, so accounting stays equal to the disk.
      const bytes = await this.deps.store.diskBytes(ref.name).catch(() => undefined);
      if (bytes !== undefined && this.deps.index.songOf(ref.name) !== undefined) this.deps.index.setEntry(ref.name, ref.song, bytes);
      return 'failed';
    }
  }

  /** Switches writing off for the session, with one WARN saying why. */
  stopWriting(error: unknown, action: string): void {
    if (this.stop !== undefined) return;
    this.stop = describeError(error);
    this.deps.logger.warn(
      `${TAG} could not ${action} in ${this.deps.directory} (${this.stop}): caching is off for this session; cached songs still play, playback is not affected`,
      { error },
    );
  }

  private commitLocked(ref: EntryRef, info: StemCacheInfo, chunk: EncodedChunk | undefined): Promise<WriteOutcome> {
    const { store, index, logger } = this.deps;
    return this.deps.mutex.run(ref.name, async () => {
      const result = await store.withLock(ref.name, true, async (): Promise<WriteOutcome> => {
        const current = await store.readMetadata(ref.name);
        let meta: EntryMetadata;
        let changed = false;
        if (current.kind === 'valid' && sameStemInfo(current.meta, info)) meta = current.meta;
        else {
          meta = newEntryMetadata(ref.song, ref.stem, info);
          // First a metadata.json naming no chunk, then delete the old chunks: never a moment when
          // metadata.json names a chunk file of another source.
          await store.commitMetadata(ref, meta);
          if (current.kind !== 'absent') await store.removeDataFiles(ref);
          changed = true;
        }
        if (chunk && !meta.chunks.some((c) => c.index === chunk.index)) {
          const name = chunkFileName(chunk.index);
          try {
            const crc32 = await store.writeDataFile(ref, name, chunk.bytes);
            let next = withChunk(meta, { index: chunk.index, frames: chunk.frames, bytes: chunk.bytes.length, crc32 });
            if (chunk.start) {
              const startCrc = await store.writeDataFile(ref, START_FILE, chunk.start.bytes);
              next = withStart(next, { frames: chunk.start.frames, bytes: chunk.start.bytes.length, crc32: startCrc });
            }
            await store.commitMetadata(ref, next);
          } catch (error) {
            // Nothing names these files yet: take them back so the disk holds what is accounted.
            await store.unlinkDataFile(ref, name);
            if (chunk.start) await store.unlinkDataFile(ref, START_FILE);
            throw error;
          }
          changed = true;
        }
        index.setEntry(ref.name, ref.song, await store.diskBytes(ref.name));
        this.deps.onUsed(ref.song);
        return changed ? 'written' : 'exists';
      });
      if (result === LOCK_BUSY || result === FOLDER_GONE) {
        logger.debug(`${TAG} ${ref.song}/${ref.stem} is being written by another process; write skipped`);
        return 'skipped';
      }
      return result;
    });
  }
}

import path from 'node:path';
import { crc32 } from 'node:zlib';
import { tempFileOwner, writeFileAtomic } from './atomicFile.js';
import { acquireEntryLock, FOLDER_GONE, LOCK_BUSY, LOCK_FILE, type LockOptions } from './entryLock.js';
import { entryFolderName, looksLikeEntryFolder } from '../format/entryName.js';
import { CorruptEntryError } from '../errors.js';
import { chunkFileName, METADATA_FILE, parseMetadata, serializeMetadata, START_FILE, type EntryMetadata } from '../format/metadata.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import { describeError, isCode } from './systemErrors.js';

/** One song's stem in the cache: its IDs and its folder. */
export interface EntryRef {
  readonly song: string;
  readonly stem: string;
  /** Folder name, `{song}_{stem}` made safe; also the entry's key everywhere in memory. */
  readonly name: string;
  readonly folder: string;
}

export type MetadataRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'valid'; readonly meta: EntryMetadata; /** The file's text, to notice a concurrent rewrite. */ readonly raw: string }
  | { readonly kind: 'corrupt'; readonly file: string; readonly reason: string };

const TRASH_PREFIX = '.trash-';
const CHUNK_FILE = /^chunk_(\d{3})\.flac$/;
/** Leftovers of a process that may still be alive are kept this long (a write takes well under a second). */
const LEFTOVER_GRACE_MS = 10 * 60_000;

/** CRC-32 of a file's bytes as metadata.json records it. */
export function checksum(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

/**
 * Disk layout and file operations of the cache folder: entry folders, their metadata.json and
 * chunk files, atomic commits, per-entry locks, removal and leftovers of crashed processes.
 * No policy (what to cache, when to evict): that is `StreamingCache`'s.
 */
export class EntryStore {
  constructor(
    readonly root: string,
    private readonly fs: CacheFileSystem,
    private readonly durable: boolean,
    private readonly lock: LockOptions,
  ) {}

  ref(song: string, stem: string): EntryRef {
    const name = entryFolderName(song, stem);
    return { song, stem, name, folder: path.join(this.root, name) };
  }

  async readMetadata(name: string): Promise<MetadataRead> {
    const file = path.join(this.root, name, METADATA_FILE);
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(file);
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return { kind: 'absent' };
      return { kind: 'corrupt', file, reason: `unreadable (${describeError(error)})` };
    }
    const parsed = parseMetadata(bytes, name);
    if (!parsed.ok) return { kind: 'corrupt', file, reason: parsed.reason };
    return { kind: 'valid', meta: parsed.meta, raw: Buffer.from(bytes).toString('utf8') };
  }

  async metadataModifiedMs(name: string): Promise<number> {
    return (await this.fs.stat(path.join(this.root, name, METADATA_FILE))).mtimeMs;
  }

  /** Replaces metadata.json atomically and makes the rename durable. */
  async commitMetadata(ref: EntryRef, meta: EntryMetadata): Promise<void> {
    await writeFileAtomic(this.fs, this.lock.identity, path.join(ref.folder, METADATA_FILE), serializeMetadata(meta), this.durable);
    if (this.durable) await this.fs.syncDirectory(ref.folder);
  }

  /**
   * Writes a data file (a chunk, the start slice) atomically and makes it durable before
   * metadata.json may name it (the folder fsync orders this rename before the metadata rename,
   * even across a power cut). Returns its CRC-32.
   */
  async writeDataFile(ref: EntryRef, name: string, bytes: Uint8Array): Promise<string> {
    await writeFileAtomic(this.fs, this.lock.identity, path.join(ref.folder, name), bytes, this.durable);
    if (this.durable) await this.fs.syncDirectory(ref.folder);
    return checksum(bytes);
  }

  /** The bytes of a committed data file, checked against its record's length and CRC-32. */
  async readDataFile(ref: EntryRef, name: string, record: { readonly bytes: number; readonly crc32: string }): Promise<Uint8Array> {
    const file = path.join(ref.folder, name);
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(file);
    } catch (error) {
      throw new CorruptEntryError(file, isCode(error, 'ENOENT') ? 'listed in metadata.json but missing' : `unreadable (${describeError(error)})`, { cause: error });
    }
    if (bytes.length !== record.bytes) throw new CorruptEntryError(file, `${bytes.length} bytes, metadata.json says ${record.bytes} (truncated or replaced)`);
    const sum = checksum(bytes);
    if (sum !== record.crc32) throw new CorruptEntryError(file, `CRC-32 ${sum}, metadata.json says ${record.crc32} (damaged)`);
    return bytes;
  }

  /** Whether a committed data file is there with its recorded length (no read, one `stat`). */
  async dataFilePresent(ref: EntryRef, name: string, bytes: number): Promise<boolean> {
    try {
      const info = await this.fs.stat(path.join(ref.folder, name));
      return info.isFile && info.size === bytes;
    } catch {
      return false;
    }
  }

  /** Deletes a data file (its metadata commit failed after it was renamed into place). */
  async unlinkDataFile(ref: EntryRef, name: string): Promise<void> {
    await this.fs.unlink(path.join(ref.folder, name)).catch(ignoreMissing);
  }

  /** Removes every chunk file and the start slice (after a metadata.json that names none has been committed). */
  async removeDataFiles(ref: EntryRef): Promise<void> {
    for (const name of await this.fs.readdir(ref.folder)) if (isDataFile(name)) await this.fs.unlink(path.join(ref.folder, name)).catch(ignoreMissing);
  }

  /**
   * Runs `task` holding the entry's cross-process lock. With `create`, a missing folder is made
   * first (and again if someone removes it while we wait). Returns LOCK_BUSY when another live
   * process holds it past `timeoutMs` (default: the configured lock timeout), FOLDER_GONE when the
   * folder does not exist and `create` is false.
   */
  async withLock<T>(name: string, create: boolean, task: () => Promise<T>, timeoutMs = this.lock.timeoutMs): Promise<T | typeof LOCK_BUSY | typeof FOLDER_GONE> {
    const folder = path.join(this.root, name);
    for (let attempt = 0; ; attempt++) {
      if (create) await this.createFolder(folder);
      const held = await acquireEntryLock(this.fs, folder, { ...this.lock, timeoutMs });
      if (held === LOCK_BUSY) return LOCK_BUSY;
      if (held === FOLDER_GONE) {
        if (!create || attempt >= 3) return FOLDER_GONE;
        continue;
      }
      try {
        return await task();
      } finally {
        await held.release();
      }
    }
  }

  /**
   * Removes an entry folder: renamed aside first (one atomic step, so no reader ever sees half a
   * folder as an entry), then deleted.
   */
  async removeFolder(name: string): Promise<void> {
    const trash = path.join(this.root, `${TRASH_PREFIX}${this.lock.identity.pid}-${this.lock.identity.randomHex(4)}`);
    try {
      await this.fs.rename(path.join(this.root, name), trash);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return;
      // Windows refuses to rename a folder with an open file in it: delete in place instead.
      await this.fs.removeTree(path.join(this.root, name));
      return;
    }
    await this.fs.removeTree(trash);
  }

  /** Bytes of the entry's files (hidden lock and temporary files excluded: they are transient). */
  async diskBytes(name: string): Promise<number> {
    const folder = path.join(this.root, name);
    let total = 0;
    for (const file of await this.fs.readdir(folder)) {
      if (file.startsWith('.')) continue;
      const info = await this.fs.stat(path.join(folder, file)).catch(() => undefined);
      if (info?.isFile) total += info.size;
    }
    return total;
  }

  /** Names in the cache folder that can be entry folders. */
  async listEntryNames(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.root)).filter(looksLikeEntryFolder);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
  }

  /**
   * Deletes what a crash left in an entry we hold the lock of: temporary files (their writers held
   * this lock, so they are dead), broken-lock files, and chunk files metadata.json does not name.
   */
  async tidyLocked(name: string, meta: EntryMetadata): Promise<void> {
    const folder = path.join(this.root, name);
    const listed = new Set(meta.chunks.map((c) => chunkFileName(c.index)));
    if (meta.start) listed.add(START_FILE);
    for (const file of await this.fs.readdir(folder)) {
      const orphanChunk = isDataFile(file) && !listed.has(file);
      const owner = tempFileOwner(file);
      // Other processes make lock temporaries without holding the lock: only a dead one's go.
      const deadTemp = owner !== undefined && (!file.startsWith(`${LOCK_FILE}.`) || !this.lock.identity.isAlive(owner));
      const leftover = deadTemp || (file.startsWith(`${LOCK_FILE}.`) && file.endsWith('.stale'));
      if (orphanChunk || leftover) await this.fs.unlink(path.join(folder, file)).catch(ignoreMissing);
    }
  }


  /** Deletes trash folders and temporary files of dead processes (or older than 10 minutes) in the cache folder itself. */
  async removeRootLeftovers(): Promise<void> {
    for (const name of await this.fs.readdir(this.root).catch(() => [] as string[])) {
      const owner = name.startsWith(TRASH_PREFIX) ? Number(name.slice(TRASH_PREFIX.length).split('-')[0]) : tempFileOwner(name);
      if (owner === undefined || !Number.isInteger(owner)) continue;
      const file = path.join(this.root, name);
      const info = await this.fs.stat(file).catch(() => undefined);
      if (!info) continue;
      if (owner !== this.lock.identity.pid && this.lock.identity.isAlive(owner) && this.lock.now() - info.mtimeMs < LEFTOVER_GRACE_MS) continue;
      if (info.isDirectory) await this.fs.removeTree(file);
      else await this.fs.unlink(file).catch(ignoreMissing);
    }
  }

  private async createFolder(folder: string): Promise<void> {
    try {
      await this.fs.stat(folder);
      return;
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
    await this.fs.mkdir(folder);
    if (this.durable) await this.fs.syncDirectory(this.root);
  }
}

/** A chunk file or the start slice: the files metadata.json vouches for. */
function isDataFile(name: string): boolean {
  return CHUNK_FILE.test(name) || name === START_FILE;
}

function ignoreMissing(error: unknown): void {
  if (!isCode(error, 'ENOENT')) throw error;
}

import type { DecodedPcm } from '@trax/chunk-decoder';
import { CacheWriter, WRITE_STOPPERS } from './disk/CacheWriter.js';
import { LOCK_BUSY } from './disk/entryLock.js';
import { EntryStore, type EntryRef, type MetadataRead } from './disk/EntryStore.js';
import { CacheUsageError, CorruptEntryError } from './errors.js';
import { nodeMd5 } from '@trax/flac-encoder/node';
import { createFlacChunkCodec } from './format/flacChunkCodec.js';
import { KeyedMutex } from './disk/KeyedMutex.js';
import { chunkFileName, sameStemInfo, storedBitDepth, type StemCacheInfo } from './format/metadata.js';
import { resolveCacheChunks, resolveDirectory, resolveLimitBytes, resolveStartSeconds, type StreamingCacheOptions } from './options.js';
import type { ChunkCodec } from './ports/ChunkCodec.js';
import { nodeFileSystem } from './disk/nodeFileSystem.js';
import { nodeProcessIdentity } from './disk/nodeProcessIdentity.js';
import { identifySource } from './disk/sourceIdentity.js';
import { describeError, isCode } from './disk/systemErrors.js';
import type { SourceIdentity } from './format/metadata.js';
import type { CacheFileSystem } from './ports/FileSystem.js';
import type { ProcessIdentity } from './ports/ProcessIdentity.js';
import { silentLogger, type Logger } from './ports/Logger.js';
import { floatToInt } from './format/quantize.js';
import { startSlice } from './format/startSlice.js';
import { readEntry, type ReadContext, type ReadTarget } from './disk/readEntry.js';
import { writeRecency } from './index/recencyFile.js';
import { scanCache } from './disk/scanCache.js';
import { SongIndex } from './index/SongIndex.js';
import type { CacheExpectation, CachePcm, CacheStats, EvictionResult, WriteOutcome } from './types.js';
import { checkChunkPcm, checkStemInfo, expectationMismatch } from './validateInput.js';

const TAG = 'StreamingCache:';
/** The FLAC chunk codec with node:crypto's MD5 (same bytes as the JS one, ~8x faster to hash). */
const nodeFlacChunkCodec = createFlacChunkCodec(nodeMd5);
/** index.json is rewritten at most once a second while songs are being used. */
const PERSIST_DELAY_MS = 1000;
const LOCK_STALE_MS = 30_000;

/**
 * A persistent, size-limited, self-healing disk cache of decoded chunks (the plan's
 * "Component 2: StreamingCache"): one folder per song stem holding `metadata.json` and the first
 * `cacheChunks` chunks as standalone FLAC files. See the README for the layout and guarantees.
 *
 * Never throws for disk trouble: a damaged entry is a miss (dropped and reported once), a full or
 * read-only disk switches writing off for the session. Throws `CacheUsageError` only for calls
 * that break the contract. Methods may be called from one thread, concurrently.
 *
 * @example
 * ```ts
 * const cache = await StreamingCache.open({ maxSizeGb: 10 });
 * const decoder = await openFileDecoder(file);   // @trax/chunk-decoder/node
 * await cache.writeMetadata('song-1', 'bass', {
 *   source: await identifySource(file, decoder.md5),
 *   sampleRate: decoder.outputSampleRate, sourceSampleRate: decoder.sampleRate,
 *   channels: decoder.channels, bitDepth: decoder.bitDepth,
 *   chunkFrames: decoder.chunkFrames, totalFrames: decoder.totalFrames,
 * });
 * await cache.writeChunk('song-1', 'bass', 0, await decoder.decodeChunk(0));
 * const pcm = await cache.readChunk('song-1', 'bass', 0);   // DecodedPcm, or undefined on a miss
 * ```
 */
export class StreamingCache {
  readonly directory: string;
  readonly cacheChunks: number;
  private readonly startSeconds: number;
  private limit: number;
  private on: boolean;
  private loaded = false;
  private readonly fs: CacheFileSystem;
  private readonly identity: ProcessIdentity;
  private readonly codec: ChunkCodec;
  private readonly logger: Logger;
  private readonly verifySource: boolean;
  private readonly store: EntryStore;
  private readonly index: SongIndex;
  private readonly mutex = new KeyedMutex();
  private readonly writer: CacheWriter;
  private readonly declared = new Map<string, StemCacheInfo>();
  private readonly warned = new Set<string>();
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly counters = { hits: 0, misses: 0, evictions: 0, evictedBytes: 0, chunksWritten: 0, corruptEntries: 0, staleEntries: 0 };

  private constructor(options: StreamingCacheOptions) {
    this.directory = resolveDirectory(options.directory);
    this.cacheChunks = resolveCacheChunks(options.cacheChunks);
    this.startSeconds = resolveStartSeconds(options.startSliceSeconds);
    this.limit = resolveLimitBytes(options);
    this.on = options.enabled ?? true;
    this.fs = options.fileSystem ?? nodeFileSystem;
    this.identity = options.processIdentity ?? nodeProcessIdentity;
    this.codec = options.codec ?? nodeFlacChunkCodec;
    this.logger = options.logger ?? silentLogger;
    this.verifySource = options.verifySource ?? true;
    this.store = new EntryStore(this.directory, this.fs, options.durable ?? true, {
      timeoutMs: options.lockTimeoutMs ?? 2000,
      staleMs: LOCK_STALE_MS,
      identity: this.identity,
      // Real time, not the clock port: lock ages are compared with other processes' clocks and
      // file mtimes, and a stopped test clock would make a busy lock's wait endless.
      now: Date.now,
    });
    this.index = new SongIndex(options.clock ?? Date.now, (song, folders) => void this.removeSongFolders(song, folders));
    this.writer = new CacheWriter({ store: this.store, mutex: this.mutex, index: this.index, logger: this.logger, directory: this.directory, onUsed: (song) => this.touch(song) });
  }

  /**
   * Opens (creating if needed) the cache folder and, when enabled, scans it: sizes are measured
   * from the files on disk, damaged entries and leftovers of crashed writers are removed, and LRU
   * order is restored from `index.json` (else from metadata.json modification times).
   *
   * @throws CacheConfigError for options out of range (e.g. `maxSizeGb` outside 1–50).
   */
  static async open(options: StreamingCacheOptions = {}): Promise<StreamingCache> {
    const cache = new StreamingCache(options);
    if (cache.on) await cache.load();
    return cache;
  }

  get enabled(): boolean {
    return this.on;
  }

  get limitBytes(): number {
    return this.limit;
  }

  /**
   * The identity of a source file as this cache records and checks it: absolute path, size and
   * mtime from a `stat` through the cache's file system port, plus the STREAMINFO MD5 (e.g.
   * `ChunkDecoder.md5`).
   */
  identifySource(file: string, md5: string): Promise<SourceIdentity> {
    return identifySource(file, md5, this.fs);
  }

  /**
   * Whether the stem is cached: with `chunkIndex`, that chunk; without, every chunk that should be
   * (the first `cacheChunks`, or all of a shorter stem). Checks metadata, source and file sizes, not
   * contents (reads do). Never counts as a hit or miss.
   */
  async hasCache(song: string, stem: string, chunkIndex?: number, expect?: CacheExpectation): Promise<boolean> {
    if (!this.on) return false;
    const ref = this.store.ref(song, stem);
    const read = await this.checkedMetadata(ref, expect);
    if (!read) return false;
    const wanted = chunkIndex === undefined ? Array.from({ length: Math.min(this.cacheChunks, read.meta.totalChunks) }, (_, i) => i) : [chunkIndex];
    for (const index of wanted) {
      const record = read.meta.chunks.find((c) => c.index === index);
      if (!record || !(await this.store.dataFilePresent(ref, chunkFileName(index), record.bytes))) return false;
    }
    return true;
  }

  /**
   * Declares a stem before its chunks are written: source identity and layout. An entry made from
   * another source or layout is reset (its chunks deleted). Cheap when nothing changed.
   *
   * @throws CacheUsageError when `info` is not a possible stem (e.g. 0 channels).
   */
  async writeMetadata(song: string, stem: string, info: StemCacheInfo): Promise<WriteOutcome> {
    checkStemInfo(song, stem, info);
    const ref = this.store.ref(song, stem);
    const known = this.declared.get(ref.name);
    this.declared.set(ref.name, info);
    if (!this.canWrite()) return 'skipped';
    if (known && sameStemInfo(known, info) && this.index.songOf(ref.name) === song) return 'exists';
    return this.writer.commit(ref, info, undefined);
  }

  /**
   * Stores chunk `index` of a declared stem (see {@link writeMetadata}) as a FLAC file and commits
   * it to metadata.json. Chunks at or past `cacheChunks` are skipped. May evict least recently used
   * songs afterwards to stay within the size limit.
   *
   * @throws CacheUsageError when the stem was never declared, or the PCM does not fit its layout
   *   (frame count, channels, rate) or, for a stem at its own rate, is not on its bit depth's grid.
   */
  async writeChunk(song: string, stem: string, index: number, pcm: CachePcm): Promise<WriteOutcome> {
    if (!this.canWrite() || !(index < this.cacheChunks)) return 'skipped';
    const ref = this.store.ref(song, stem);
    let info = this.declared.get(ref.name);
    if (!info) {
      const read = await this.store.readMetadata(ref.name);
      if (read.kind !== 'valid') throw new CacheUsageError(song, stem, index, 'call writeMetadata for this stem before writing its chunks');
      info = read.meta;
      this.declared.set(ref.name, info);
    }
    checkChunkPcm(song, stem, index, info, pcm);
    const before = await this.store.readMetadata(ref.name);
    if (before.kind === 'valid' && sameStemInfo(before.meta, info) && before.meta.chunks.some((c) => c.index === index)) {
      this.touch(song);
      return 'exists';
    }
    const bitDepth = storedBitDepth(info);
    const ints = floatToInt(pcm.channelData, pcm.frameCount, bitDepth, info.sampleRate === info.sourceSampleRate);
    if (!Array.isArray(ints))
      throw new CacheUsageError(song, stem, index, `sample ${ints.value} (channel ${ints.channel}, frame ${ints.frame}) is not a ${bitDepth}-bit value: cache the decoder's PCM unchanged`);
    const bytes = this.codec.encode(ints, { sampleRate: info.sampleRate, bitDepth });
    const start = index === 0 ? startSlice(ints, bitDepth, Math.round(this.startSeconds * info.sampleRate)) : undefined;
    const outcome = await this.writer.commit(ref, info, { index, frames: pcm.frameCount, bytes, start });
    if (outcome === 'written') {
      this.counters.chunksWritten++;
      if (this.index.totalBytes > this.limit) await this.evictLru(this.limit);
    }
    return outcome;
  }

  /**
   * Chunk `index` exactly as it was written (for a resampled stem: quantised to 24 bit), or
   * `undefined` on a miss: not cached, disabled, not matching `expect`, source file changed, or
   * damaged (then dropped and reported once at WARN).
   */
  readChunk(song: string, stem: string, index: number, expect?: CacheExpectation): Promise<DecodedPcm | undefined> {
    return this.read(song, stem, { chunkIndex: index }, expect);
  }

  /**
   * Frames [startFrame, startFrame + frameCount) of the stem (output-rate frames from its start),
   * from the one cached chunk holding them, decoding only the FLAC frames they need — or, for a
   * range within the first `startSliceSeconds`, from the stored start slice with no decoding at
   * all: the quick start of a cached song. A range crossing a chunk boundary is a miss. Checks as
   * {@link readChunk} does (the whole file's CRC-32).
   *
   * @example
   * ```ts
   * const start = await cache.readRange('song-1', 'bass', 0, 24000);   // first 0.5 s at 48 kHz
   * ```
   */
  readRange(song: string, stem: string, startFrame: number, frameCount: number, expect?: CacheExpectation): Promise<DecodedPcm | undefined> {
    return this.read(song, stem, { startFrame, frameCount }, expect);
  }

  /**
   * Evicts whole songs, least recently used first, until at most `targetBytes` are used. Runs by
   * itself after a write passes the size limit; call it to free space on demand.
   */
  async evictLru(targetBytes: number): Promise<EvictionResult> {
    return this.mutex.run('\0evict', async () => {
      const songs: string[] = [];
      let freed = 0;
      for (const song of this.index.leastRecentFirst()) {
        if (this.index.totalBytes <= targetBytes) break;
        const bytes = this.index.bytesOf(song);
        if (await this.removeSongFolders(song, this.index.foldersOf(song))) {
          songs.push(song);
          freed += bytes;
        }
      }
      if (songs.length > 0) {
        this.counters.evictions += songs.length;
        this.counters.evictedBytes += freed;
        this.logger.debug(`${TAG} evicted ${songs.length} song(s), ${freed} bytes`, { songs, bytesUsed: this.index.totalBytes });
        this.schedulePersist();
      }
      return { songs, bytesFreed: freed, bytesUsed: this.index.totalBytes };
    });
  }

  stats(): CacheStats {
    const { hits, misses } = this.counters;
    return {
      ...this.counters,
      bytesUsed: this.index.totalBytes,
      limitBytes: this.limit,
      entries: this.index.entryCount,
      songs: this.index.songCount,
      hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
      enabled: this.on,
      writable: this.writer.writable,
    };
  }

  /** Deletes every entry (the settings' "Clear Cache" button). Works while disabled too. */
  async clear(): Promise<void> {
    const names = new Set([...(await this.store.listEntryNames()), ...this.index.leastRecentFirst().flatMap((s) => this.index.foldersOf(s))]);
    await Promise.all([...names].map((name) => this.removeFolder(name)));
    this.index.clear();
    this.schedulePersist();
  }

  /** The "Enable Cache" switch. Enabling scans the folder if that was not done yet. */
  async setEnabled(enabled: boolean): Promise<void> {
    this.on = enabled;
    if (enabled && !this.loaded) await this.load();
  }

  /** Changes the size limit (`{ maxSizeGb }` 1–50, or `{ maxBytes }`) and evicts down to it. */
  async setLimit(limit: { maxSizeGb?: number; maxBytes?: number }): Promise<void> {
    this.limit = resolveLimitBytes(limit);
    if (this.index.totalBytes > this.limit) await this.evictLru(this.limit);
  }

  /** Waits for writes in flight and saves LRU order. The cache can still be used afterwards. */
  async close(): Promise<void> {
    await this.mutex.idle();
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
      await this.persist();
    }
  }

  private async load(): Promise<void> {
    this.loaded = true;
    try {
      await this.fs.mkdir(this.directory);
    } catch (error) {
      this.writer.stopWriting(error, 'create the cache folder');
      return;
    }
    const found = await scanCache(this.store, this.fs, this.directory, this.logger);
    this.counters.corruptEntries += found.corrupt;
    for (const entry of found.entries) this.index.setEntry(entry.name, entry.song, entry.bytes, entry.lastUsed);
    this.logger.debug(`${TAG} ${found.entries.length} entries, ${this.index.totalBytes} bytes in ${this.directory}`);
    if (this.index.totalBytes > this.limit) await this.evictLru(this.limit);
  }

  private async read(song: string, stem: string, target: ReadTarget, expect: CacheExpectation | undefined): Promise<DecodedPcm | undefined> {
    const pcm = this.on ? await this.readEnabled(song, stem, target, expect) : undefined;
    if (pcm) this.counters.hits++;
    else this.counters.misses++;
    return pcm;
  }

  private readEnabled(song: string, stem: string, target: ReadTarget, expect: CacheExpectation | undefined): Promise<DecodedPcm | undefined> {
    const context: ReadContext = {
      store: this.store,
      fs: this.fs,
      codec: this.codec,
      verifySource: this.verifySource,
      checkExpectation: (meta) => expectationMismatch(meta, expect),
    };
    const what = 'chunkIndex' in target ? `chunk ${target.chunkIndex}` : `frames [${target.startFrame}, +${target.frameCount})`;
    return readEntry(context, this.store.ref(song, stem), target).then(async (result) => {
      switch (result.kind) {
        case 'hit':
          this.touch(song);
          return result.pcm;
        case 'miss':
          if (result.reason) this.logger.debug(`${TAG} miss for ${song}/${stem} ${what}: ${result.reason}`);
          return undefined;
        case 'stale':
          this.counters.staleEntries++;
          this.logger.info(`${TAG} source of ${song}/${stem} changed (${result.reason}); dropping its cache entry`);
          await this.removeFolder(this.store.ref(song, stem).name);
          return undefined;
        case 'corrupt':
          await this.dropCorrupt(this.store.ref(song, stem), result.error);
          return undefined;
      }
    });
  }

  /** Reads and checks metadata for hasCache: a damaged entry is dropped, a stale one is a miss. */
  private async checkedMetadata(ref: EntryRef, expect: CacheExpectation | undefined): Promise<Extract<MetadataRead, { kind: 'valid' }> | undefined> {
    const read = await this.store.readMetadata(ref.name);
    if (read.kind === 'corrupt') await this.dropCorrupt(ref, new CorruptEntryError(read.file, read.reason));
    if (read.kind !== 'valid' || expectationMismatch(read.meta, expect)) return undefined;
    return read;
  }

  private canWrite(): boolean {
    return this.on && this.writer.writable;
  }

  private async dropCorrupt(ref: EntryRef, error: CorruptEntryError): Promise<void> {
    const key = `${ref.name}\0${error.message}`;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.counters.corruptEntries++;
      this.logger.warn(`${TAG} cache entry ${ref.song}/${ref.stem} is damaged: ${error.message}. Dropped; it will be decoded from the source and cached again`, {
        file: error.file,
      });
    }
    await this.removeFolder(ref.name);
  }

  /** Removes one entry folder under its locks; false when another process holds it. */
  private removeFolder(name: string): Promise<boolean> {
    return this.mutex.run(name, async () => {
      const result = await this.store
        .withLock(name, false, () => this.store.removeFolder(name))
        .catch((error: unknown) => {
          this.logger.warn(`${TAG} could not delete cache entry ${name} (${describeError(error)})`, { error });
          return LOCK_BUSY;
        });
      if (result === LOCK_BUSY) return false;
      this.index.removeEntry(name);
      return true;
    });
  }

  private async removeSongFolders(song: string, folders: string[]): Promise<boolean> {
    const removed = await Promise.all(folders.map((name) => this.removeFolder(name)));
    if (removed.every(Boolean)) this.logger.debug(`${TAG} removed song ${song}`);
    return removed.every(Boolean);
  }

  private touch(song: string): void {
    this.index.touch(song);
    this.schedulePersist();
  }

  private schedulePersist(): void {
    if (this.persistTimer || !this.writer.writable) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist();
    }, PERSIST_DELAY_MS);
    this.persistTimer.unref?.();
  }

  private async persist(): Promise<void> {
    if (!this.writer.writable) return;
    try {
      await writeRecency(this.fs, this.identity, this.directory, this.index.recency());
    } catch (error) {
      if (isCode(error, ...WRITE_STOPPERS)) this.writer.stopWriting(error, 'save LRU order');
      else this.logger.debug(`${TAG} could not save LRU order (${describeError(error)})`);
    }
  }
}

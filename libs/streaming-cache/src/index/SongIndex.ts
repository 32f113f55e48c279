import { LRUCache } from 'lru-cache';

/**
 * The most songs the in-memory index holds. A 50 GB cache of one-stem, 60 s songs (~5 MB each)
 * is ~10,000 songs, so 65,536 is never reached in practice; if it is, the least recently used song
 * leaves the index and is evicted from disk like any other (`onOverflow`).
 */
export const MAX_SONGS = 65_536;

interface SongUsage {
  lastUsed: number;
  bytes: number;
  readonly folders: Set<string>;
}

/**
 * Which songs are cached, how many bytes each holds on disk, and their recency order: an
 * `lru-cache` keyed by song ID whose order is the eviction order (a song's stems go together).
 * Pure bookkeeping, no I/O; the cache persists {@link recency} to `index.json`.
 */
export class SongIndex {
  private readonly songs: LRUCache<string, SongUsage>;
  private readonly folders = new Map<string, { readonly song: string; bytes: number }>();
  private total = 0;
  private lastStamp = 0;

  constructor(
    private readonly now: () => number,
    onOverflow: (song: string, folders: string[]) => void,
  ) {
    this.songs = new LRUCache<string, SongUsage>({
      max: MAX_SONGS,
      dispose: (usage, song, reason) => {
        if (reason !== 'evict') return;
        const folders = [...usage.folders];
        for (const folder of folders) this.forgetFolder(folder);
        onOverflow(song, folders);
      },
    });
  }

  get totalBytes(): number {
    return this.total;
  }

  get entryCount(): number {
    return this.folders.size;
  }

  get songCount(): number {
    return this.songs.size;
  }

  /**
   * Records that entry `folder` of `song` holds `bytes` on disk. A song seen for the first time
   * becomes the most recent one, stamped `lastUsed` (default now); a known song keeps its place.
   */
  setEntry(folder: string, song: string, bytes: number, lastUsed?: number): void {
    let usage = this.songs.peek(song);
    if (!usage) {
      if (lastUsed !== undefined) this.lastStamp = Math.max(this.lastStamp, lastUsed);
      usage = { lastUsed: lastUsed ?? this.stamp(), bytes: 0, folders: new Set() };
      this.songs.set(song, usage);
    }
    const previous = this.folders.get(folder);
    if (previous && previous.song !== song) this.removeEntry(folder);
    const delta = bytes - (previous?.song === song ? previous.bytes : 0);
    this.folders.set(folder, { song, bytes });
    usage.folders.add(folder);
    usage.bytes += delta;
    this.total += delta;
  }

  /** Forgets one entry; a song left with no entries leaves the index. */
  removeEntry(folder: string): void {
    const entry = this.folders.get(folder);
    if (!entry) return;
    this.forgetFolder(folder);
    const usage = this.songs.peek(entry.song);
    if (usage && usage.folders.size === 0) this.songs.delete(entry.song);
  }

  /** Marks `song` as just used (most recent). No effect on an unknown song. */
  touch(song: string): void {
    const usage = this.songs.get(song);
    if (usage) usage.lastUsed = this.stamp();
  }

  /** Songs from least to most recently used: the eviction order. */
  leastRecentFirst(): string[] {
    return [...this.songs.rkeys()];
  }

  foldersOf(song: string): string[] {
    return [...(this.songs.peek(song)?.folders ?? [])];
  }

  songOf(folder: string): string | undefined {
    return this.folders.get(folder)?.song;
  }

  bytesOf(song: string): number {
    return this.songs.peek(song)?.bytes ?? 0;
  }

  /** [song, last use] from least to most recent (ms since the epoch, strictly increasing within this process), for `index.json`. */
  recency(): [string, number][] {
    return [...this.songs.rkeys()].map((song) => [song, this.songs.peek(song)?.lastUsed ?? 0]);
  }

  clear(): void {
    this.folders.clear();
    this.songs.clear();
    this.total = 0;
  }

  private forgetFolder(folder: string): void {
    const entry = this.folders.get(folder);
    if (!entry) return;
    this.folders.delete(folder);
    this.total -= entry.bytes;
    const usage = this.songs.peek(entry.song);
    if (usage) {
      usage.folders.delete(folder);
      usage.bytes -= entry.bytes;
    }
  }

  /**
   * Wall-clock ms, nudged forward by 1 µs when two uses fall in the same millisecond, so the order
   * of uses survives a restart even when `index.json` is all there is to go by.
   */
  private stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 0.001);
    return this.lastStamp;
  }
}

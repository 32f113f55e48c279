import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { entryFolderName } from './format/entryName.js';
import { CacheConfigError } from './errors.js';
import { StreamingCache } from './StreamingCache.js';
import { bytesOnDisk, tempFolder, testStem, type TestStem } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
let stem: TestStem;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('lru'));
  stem = await testStem(dir, 'lru', { seconds: 0.2, chunkFrames: 4800 });
});
afterAll(() => cleanup());

const STEMS = ['drums', 'bass'];

/** Caches two stems × two chunks of `song`. */
async function cacheSong(cache: StreamingCache, song: string): Promise<void> {
  for (const id of STEMS) {
    await cache.writeMetadata(song, id, stem.info);
    for (let i = 0; i < 2; i++) await cache.writeChunk(song, id, i, stem.chunk(i));
  }
}

async function songsOnDisk(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  return ['a', 'b', 'c', 'd', 'e', 'f'].filter((song) => STEMS.every((id) => names.includes(entryFolderName(song, id))));
}

describe('StreamingCache LRU', () => {
  it('stamps uses with its clock port: index.json records the clock\'s times', async () => {
    const directory = path.join(dir, 'clock');
    let now = 1_000_000;
    const cache = await StreamingCache.open({ directory, clock: () => now });
    await cacheSong(cache, 'a');
    now = 2_000_000;
    await cacheSong(cache, 'b');
    await cache.close();
    const recency = JSON.parse(await readFile(path.join(directory, 'index.json'), 'utf8')) as { songs: [string, number][] };
    expect(recency.songs.map(([song, at]) => [song, Math.floor(at)])).toEqual([
      ['a', 1_000_000],
      ['b', 2_000_000],
    ]);
  });

  it('keeps LRU order across a restart (index.json), and evicts the least recently used song first', async () => {
    const directory = path.join(dir, 'restart');
    const first = await StreamingCache.open({ directory });
    for (const song of ['a', 'b', 'c']) await cacheSong(first, song);
    expect(await first.readChunk('a', 'bass', 1)).toBeDefined();
    await first.close();

    const second = await StreamingCache.open({ directory });
    const perSong = second.stats().bytesUsed / 3;
    expect(second.stats()).toMatchObject({ songs: 3, entries: 6, bytesUsed: await bytesOnDisk(directory) });
    // Room for two songs: b, untouched since it was written, goes; a was read after c was written.
    const evicted = await second.evictLru(Math.ceil(perSong * 2.5));
    expect(evicted.songs).toEqual(['b']);
    expect(await songsOnDisk(directory)).toEqual(['a', 'c']);
    expect((await second.evictLru(0)).songs).toEqual(['c', 'a']);
    expect(second.stats()).toMatchObject({ bytesUsed: 0, entries: 0, evictions: 3 });
  });

  it('without index.json, dates songs by their metadata.json modification times', async () => {
    const directory = path.join(dir, 'no-index');
    const first = await StreamingCache.open({ directory });
    for (const song of ['c', 'a', 'b']) await cacheSong(first, song);
    await first.close();
    await rm(path.join(directory, 'index.json'), { force: true });

    const second = await StreamingCache.open({ directory });
    expect((await second.evictLru(0)).songs).toEqual(['c', 'a', 'b']);
  });

  it('evicts by itself after each write that passes the limit: total ≤ limit, equal to the disk, LRU song out first with all its stems', async () => {
    const directory = path.join(dir, 'auto');
    const probe = await StreamingCache.open({ directory: path.join(dir, 'probe') });
    await cacheSong(probe, 'a');
    const perSong = probe.stats().bytesUsed;
    const limit = Math.floor(perSong * 2.5);

    const cache = await StreamingCache.open({ directory, maxBytes: limit });
    for (const song of ['a', 'b', 'c', 'd']) {
      if (song === 'c' || song === 'd') expect(await cache.readChunk('a', 'drums', 0)).toBeDefined();
      for (const id of STEMS) {
        await cache.writeMetadata(song, id, stem.info);
        for (let i = 0; i < 2; i++) {
          await cache.writeChunk(song, id, i, stem.chunk(i));
          expect(cache.stats().bytesUsed).toBeLessThanOrEqual(limit);
          expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(directory));
        }
      }
    }
    // a is read before c and before d are written: b goes when c passes the limit, then c when d does.
    expect(await songsOnDisk(directory)).toEqual(['a', 'd']);
    expect(cache.stats()).toMatchObject({ evictions: 2, songs: 2, entries: 4 });
    expect(cache.stats().evictedBytes).toBe(2 * perSong);
  });

  it('evicts down to a lowered limit at once, and clear() removes everything', async () => {
    const directory = path.join(dir, 'limit');
    const cache = await StreamingCache.open({ directory });
    for (const song of ['a', 'b', 'c']) await cacheSong(cache, song);
    await cache.setLimit({ maxBytes: cache.stats().bytesUsed - 1 });
    expect(await songsOnDisk(directory)).toEqual(['b', 'c']);
    await cache.clear();
    expect(cache.stats()).toMatchObject({ bytesUsed: 0, entries: 0, songs: 0 });
    expect((await readdir(directory)).filter((name) => name !== 'index.json')).toEqual([]);
    expect(await cache.readChunk('b', 'bass', 0)).toBeUndefined();
    await cacheSong(cache, 'e');
    expect(await songsOnDisk(directory)).toEqual(['e']);
  });

  it('finds a cache that exceeds a smaller limit at open and evicts down to it', async () => {
    const directory = path.join(dir, 'shrink');
    const first = await StreamingCache.open({ directory });
    for (const song of ['a', 'b', 'c']) await cacheSong(first, song);
    const total = first.stats().bytesUsed;
    await first.close();
    const second = await StreamingCache.open({ directory, maxBytes: Math.floor(total / 2) });
    expect(second.stats().bytesUsed).toBeLessThanOrEqual(Math.floor(total / 2));
    expect(await songsOnDisk(directory)).toEqual(['c']);
  });

  it('accepts 1–50 GB (default 10 GB), smaller limits only as maxBytes', async () => {
    const directory = path.join(dir, 'config');
    expect((await StreamingCache.open({ directory })).limitBytes).toBe(10e9);
    expect((await StreamingCache.open({ directory, maxSizeGb: 50 })).limitBytes).toBe(50e9);
    expect((await StreamingCache.open({ directory, maxSizeGb: 1 })).limitBytes).toBe(1e9);
    await expect(StreamingCache.open({ directory, maxSizeGb: 0.5 })).rejects.toThrow(CacheConfigError);
    await expect(StreamingCache.open({ directory, maxSizeGb: 51 })).rejects.toThrow(/1–50 GB/);
    await expect(StreamingCache.open({ directory, cacheChunks: -1 })).rejects.toThrow(/cacheChunks/);
    expect((await StreamingCache.open({ directory, maxBytes: 1234 })).limitBytes).toBe(1234);
    const cache = await StreamingCache.open({ directory });
    await expect(cache.setLimit({ maxSizeGb: 100 })).rejects.toThrow(CacheConfigError);
  });

  it('uses TRAX_CACHE_DIR when no directory is given', async () => {
    const directory = path.join(dir, 'from-env');
    const saved = process.env['TRAX_CACHE_DIR'];
    process.env['TRAX_CACHE_DIR'] = directory;
    try {
      const cache = await StreamingCache.open();
      expect(cache.directory).toBe(directory);
      await cacheSong(cache, 'a');
      expect(await songsOnDisk(directory)).toEqual(['a']);
    } finally {
      if (saved === undefined) delete process.env['TRAX_CACHE_DIR'];
      else process.env['TRAX_CACHE_DIR'] = saved;
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { entryFolderName } from './format/entryName.js';
import { faultyFileSystem } from './testing/faultyFileSystem.fixture.js';
import { StreamingCache } from './StreamingCache.js';
import { bytesOnDisk, firstDifference, recordingLogger, tempFolder, testStem, type TestStem } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
let stem: TestStem;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('faults'));
  stem = await testStem(dir, 'faults', { seconds: 0.3, chunkFrames: 4800 });
});
afterAll(() => cleanup());

/** Hidden files (temporaries, locks) anywhere under `directory`. */
async function hiddenFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) if (entry.name.startsWith('.')) found.push(entry.name);
  return found;
}

describe('StreamingCache on a failing disk', () => {
  it.each(['ENOSPC', 'EACCES', 'EROFS', 'EDQUOT'])(
    '%s while writing a chunk: caching turns itself off with one WARN, reads keep working, disk and accounting stay consistent',
    async (code) => {
      const directory = path.join(dir, `write-${code}`);
      let full = false;
      const fs = faultyFileSystem((operation, file) => (full && operation === 'writeNewFile' && file.includes('chunk_') ? code : undefined));
      const logger = recordingLogger();
      const cache = await StreamingCache.open({ directory, fileSystem: fs, logger });
      await cache.writeMetadata('s', 'a', stem.info);
      expect(await cache.writeChunk('s', 'a', 0, stem.chunk(0))).toBe('written');

      full = true;
      expect(await cache.writeChunk('s', 'a', 1, stem.chunk(1))).toBe('failed');
      expect(logger.at('warn')).toHaveLength(1);
      expect(logger.at('warn')[0]).toMatch(new RegExp(`${code}.*caching is off for this session`));
      expect(cache.stats().writable).toBe(false);

      // Writing stays off without even trying the disk, with no further warnings.
      full = false;
      const attempts = fs.calls['writeNewFile'];
      expect(await cache.writeChunk('s', 'a', 2, stem.chunk(2))).toBe('skipped');
      expect(await cache.writeMetadata('s', 'b', stem.info)).toBe('skipped');
      expect(fs.calls['writeNewFile']).toBe(attempts);
      expect(logger.at('warn')).toHaveLength(1);

      expect(firstDifference((await cache.readChunk('s', 'a', 0))!.channelData, stem.chunk(0).channelData)).toBeUndefined();
      expect(await cache.readChunk('s', 'a', 1)).toBeUndefined();
      await cache.close();
      expect(await hiddenFiles(directory)).toEqual([]);
      expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(directory));
    },
  );

  it('disk full while committing metadata.json after the chunk file: the chunk file (and start slice) are taken back', async () => {
    const directory = path.join(dir, 'metadata-full');
    let full = false;
    const fs = faultyFileSystem((operation, file) => (full && operation === 'writeNewFile' && file.includes('metadata.json') ? 'ENOSPC' : undefined));
    const cache = await StreamingCache.open({ directory, fileSystem: fs });
    await cache.writeMetadata('s', 'a', stem.info);
    await cache.writeChunk('s', 'a', 0, stem.chunk(0));
    full = true;
    expect(await cache.writeChunk('s', 'a', 1, stem.chunk(1))).toBe('failed');
    expect((await readdir(path.join(directory, entryFolderName('s', 'a')))).sort()).toEqual(['chunk_000.flac', 'metadata.json', 'start.f32']);
    expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(directory));
    expect(await cache.readChunk('s', 'a', 0)).toBeDefined();

    const other = await StreamingCache.open({ directory: path.join(dir, 'metadata-full-0'), fileSystem: fs });
    full = false;
    await other.writeMetadata('s', 'b', stem.info);
    full = true;
    expect(await other.writeChunk('s', 'b', 0, stem.chunk(0))).toBe('failed');
    expect(await readdir(path.join(dir, 'metadata-full-0', entryFolderName('s', 'b')))).toEqual(['metadata.json']);
  });

  it('a cache folder that cannot be created: no exception, one WARN, every read a miss', async () => {
    const logger = recordingLogger();
    const fs = faultyFileSystem((operation) => (operation === 'mkdir' ? 'EACCES' : undefined));
    const cache = await StreamingCache.open({ directory: path.join(dir, 'forbidden'), fileSystem: fs, logger });
    expect(logger.at('warn')).toHaveLength(1);
    expect(await cache.readChunk('s', 'a', 0)).toBeUndefined();
    expect(await cache.writeMetadata('s', 'a', stem.info)).toBe('skipped');
    expect(cache.stats()).toMatchObject({ writable: false, misses: 1 });
  });

  it('another I/O error (EIO) fails that write with a WARN but leaves caching on', async () => {
    const directory = path.join(dir, 'eio');
    let broken = true;
    const logger = recordingLogger();
    const fs = faultyFileSystem((operation, file) => (broken && operation === 'writeNewFile' && file.includes('chunk_') ? 'EIO' : undefined));
    const cache = await StreamingCache.open({ directory, fileSystem: fs, logger });
    await cache.writeMetadata('s', 'a', stem.info);
    expect(await cache.writeChunk('s', 'a', 0, stem.chunk(0))).toBe('failed');
    expect(logger.at('warn')[0]).toMatch(/EIO/);
    broken = false;
    expect(await cache.writeChunk('s', 'a', 0, stem.chunk(0))).toBe('written');
    expect(cache.stats().writable).toBe(true);
  });

  it('a real full disk (a 256 KB tmpfs, where mounting is allowed)', async () => {
    const mountPoint = path.join(dir, 'tiny-tmpfs');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      console.warn('cannot mount a tmpfs here (needs root): the real disk-full test is skipped; the injected ENOSPC tests cover the logic');
      return;
    }
    try {
      const logger = recordingLogger();
      const cache = await StreamingCache.open({ directory: path.join(mountPoint, 'cache'), logger });
      const big = await testStem(dir, 'tmpfs', { seconds: 4, chunkFrames: 24000, kind: 'noise' });
      await cache.writeMetadata('s', 'a', big.info);
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) outcomes.push(await cache.writeChunk('s', 'a', i, big.chunk(i)));
      expect(outcomes).toContain('failed');
      expect(outcomes.slice(outcomes.indexOf('failed') + 1).every((o) => o === 'skipped')).toBe(true);
      expect(logger.at('warn')).toHaveLength(1);
      expect(logger.at('warn')[0]).toMatch(/ENOSPC/);
      const written = outcomes.filter((o) => o === 'written').length;
      for (let i = 0; i < written; i++) expect(firstDifference((await cache.readChunk('s', 'a', i))!.channelData, big.chunk(i).channelData)).toBeUndefined();
      expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(path.join(mountPoint, 'cache')));
    } finally {
      execFileSync('umount', [mountPoint]);
      await rmdir(mountPoint);
    }
  });
});

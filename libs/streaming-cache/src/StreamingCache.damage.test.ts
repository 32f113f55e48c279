import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, readdir, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checksum } from './disk/EntryStore.js';
import { entryFolderName } from './format/entryName.js';
import { chunkFileName, METADATA_FILE, METADATA_VERSION } from './format/metadata.js';
import { StreamingCache } from './StreamingCache.js';
import { bytesOnDisk, firstDifference, recordingLogger, tempFolder, testStem, type TestStem } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
let stem: TestStem;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('damage'));
  stem = await testStem(dir, 'damage', { seconds: 0.3, chunkFrames: 4800 });
});
afterAll(() => cleanup());

let caseNumber = 0;

/** A fresh cache holding song "s" with stems "a" and "b", three chunks each. */
async function cachedSong() {
  const logger = recordingLogger();
  const directory = path.join(dir, `case-${++caseNumber}`);
  const cache = await StreamingCache.open({ directory, logger });
  for (const id of ['a', 'b']) {
    await cache.writeMetadata('s', id, stem.info);
    for (let i = 0; i < 3; i++) await cache.writeChunk('s', id, i, stem.chunk(i));
  }
  const folder = path.join(directory, entryFolderName('s', 'a'));
  return { cache, logger, directory, folder, chunk: (i: number) => path.join(folder, chunkFileName(i)), metadata: path.join(folder, METADATA_FILE) };
}

async function editMetadata(file: string, edit: (meta: Record<string, unknown>) => void): Promise<void> {
  const meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(meta);
  await writeFile(file, JSON.stringify(meta));
}

describe('StreamingCache with damaged entries', () => {
  it.each<[string, (files: Awaited<ReturnType<typeof cachedSong>>) => Promise<void>, RegExp]>([
    [
      'a flipped byte in a chunk file',
      async ({ chunk }) => {
        const bytes = await readFile(chunk(1));
        bytes[Math.floor(bytes.length / 2)] ^= 0x5a;
        await writeFile(chunk(1), bytes);
      },
      /CRC-32/,
    ],
    ['a truncated chunk file', async ({ chunk }) => truncate(chunk(1), 100), /100 bytes, metadata.json says/],
    ['a deleted chunk file', async ({ chunk }) => unlink(chunk(1)), /missing/],
    ['garbage in metadata.json', async ({ metadata }) => writeFile(metadata, '\u0000\u0001garbage{{'), /not valid JSON/],
    ['an empty metadata.json', async ({ metadata }) => writeFile(metadata, ''), /not valid JSON/],
    ['another format version', async ({ metadata }) => editMetadata(metadata, (m) => (m['version'] = METADATA_VERSION + 1)), /format version/],
    [
      // The file-level checksum is made to agree, so only the FLAC decoder's own frame CRCs can tell.
      'a damaged FLAC frame behind a matching checksum',
      async ({ chunk, metadata }) => {
        const bytes = await readFile(chunk(1));
        bytes[bytes.length - 200] ^= 0x01;
        await writeFile(chunk(1), bytes);
        await editMetadata(metadata, (m) => ((m['chunks'] as { crc32: string }[])[1].crc32 = checksum(bytes)));
      },
      // Whatever the decoder says (CRC mismatch, lost sync, a frame cut short), as long as it is not the file checksum.
      /chunk_001\.flac: (?!CRC-32 [0-9a-f]{8}, metadata)\w+/,
    ],
  ])('%s: detected on read, reported once at WARN, the entry dropped, the caller gets a miss', async (_, damage, reason) => {
    const song = await cachedSong();
    const { cache, logger, folder, directory } = song;
    await damage(song);
    // Two reads at once, of the chunk and of the same frames as a range: one report between them.
    const reads = await Promise.all([cache.readChunk('s', 'a', 1), cache.readRange('s', 'a', 4800, 4800)]);
    expect(reads).toEqual([undefined, undefined]);
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(reason);
    expect(logger.at('warn')[0]).toContain('s/a');
    expect(await readdir(directory)).not.toContain(path.basename(folder));
    // The other chunks of the dropped entry are misses now, without another warning.
    expect(await cache.readChunk('s', 'a', 0)).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    // The other stem is untouched, accounting follows the disk, and the entry can be cached again.
    expect(await cache.readChunk('s', 'b', 1)).toBeDefined();
    expect(cache.stats()).toMatchObject({ entries: 1, corruptEntries: 1, bytesUsed: await bytesOnDisk(directory) });
    await cache.writeMetadata('s', 'a', stem.info);
    expect(await cache.writeChunk('s', 'a', 1, stem.chunk(1))).toBe('written');
    expect(firstDifference((await cache.readChunk('s', 'a', 1))!.channelData, stem.chunk(1).channelData)).toBeUndefined();
  });

  it('a damaged start slice is detected by the quick-start read and drops the entry', async () => {
    const { cache, folder, logger } = await cachedSong();
    const file = path.join(folder, 'start.f32');
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0x40;
    await writeFile(file, bytes);
    expect(await cache.readRange('s', 'a', 0, 100)).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(/start\.f32: CRC-32/);
    expect(await cache.readChunk('s', 'a', 0)).toBeUndefined();
  });

  it('a range read checks the whole file: a flipped byte outside the range is still a miss', async () => {
    const { cache, chunk, logger } = await cachedSong();
    const bytes = await readFile(chunk(1));
    bytes[bytes.length - 10] ^= 0xff;
    await writeFile(chunk(1), bytes);
    expect(await cache.readRange('s', 'a', 4800, 100)).toBeUndefined();
    expect(logger.at('warn')[0]).toMatch(/CRC-32/);
  });

  it('hasCache notices a missing chunk file and garbage metadata', async () => {
    const { cache, chunk, logger } = await cachedSong();
    await unlink(chunk(2));
    expect(await cache.hasCache('s', 'a')).toBe(false);
    expect(await cache.hasCache('s', 'a', 0)).toBe(true);
    await writeFile(path.join(path.dirname(chunk(0)), METADATA_FILE), 'garbage');
    expect(await cache.hasCache('s', 'a', 0)).toBe(false);
    expect(logger.at('warn')).toHaveLength(1);
  });

  it.each([
    ['its size changed', (file: string) => appendFile(file, 'more audio')],
    ['its modification time changed', (file: string) => utimes(file, new Date(), new Date(Date.now() + 5000))],
  ])('drops an entry whose source changed (%s) and serves it as a miss', async (_, change) => {
    const { cache, logger, folder } = await cachedSong();
    const source = await testStem(dir, `changing-${++caseNumber}`, { seconds: 0.3, chunkFrames: 4800 });
    await cache.writeMetadata('t', 'x', source.info);
    await cache.writeChunk('t', 'x', 0, source.chunk(0));
    expect(await cache.readChunk('t', 'x', 0)).toBeDefined();
    await change(source.info.source.path);
    expect(await cache.readChunk('t', 'x', 0)).toBeUndefined();
    expect(logger.at('info').join('\n')).toMatch(/source of t\/x changed/);
    expect(logger.at('warn')).toEqual([]);
    expect(cache.stats()).toMatchObject({ staleEntries: 1 });
    expect(await readdir(path.dirname(folder))).not.toContain(entryFolderName('t', 'x'));
  });

  it('resets an entry declared with another source identity, deleting its old chunks first', async () => {
    const { cache, folder } = await cachedSong();
    const other = { ...stem.info, source: { ...stem.info.source, md5: 'e'.repeat(32) } };
    expect(await cache.writeMetadata('s', 'a', other)).toBe('written');
    expect((await readdir(folder)).sort()).toEqual(['metadata.json']);
    expect(await cache.readChunk('s', 'a', 0)).toBeUndefined();
  });

  it('at open, drops entries with damaged metadata and removes what crashed writers left', async () => {
    const { cache, directory, folder, metadata } = await cachedSong();
    await cache.close();
    const other = path.join(directory, entryFolderName('s', 'b'));
    await writeFile(path.join(other, METADATA_FILE), '{"format":"trax-streaming-cache","version":1');
    // Leftovers: a temporary file of a dead writer, an orphan chunk no metadata names, an empty folder.
    await writeFile(path.join(folder, `.chunk_003.flac.999999999.0badf00d.tmp`), 'partial');
    await writeFile(path.join(folder, 'chunk_004.flac'), 'orphan');
    await writeFile(path.join(other, 'start.f32'), 'orphan of a dropped entry');
    await editMetadata(metadata, () => undefined);
    await rm(path.join(directory, entryFolderName('x', 'y')), { recursive: true, force: true });
    await writeFile(path.join(directory, 'index.json'), 'not json');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(directory, entryFolderName('x', 'y')));

    const logger = recordingLogger();
    const reopened = await StreamingCache.open({ directory, logger });
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(/s_b.*damaged/);
    expect((await readdir(directory)).filter((n) => n !== 'index.json')).toEqual([path.basename(folder)]);
    expect((await readdir(folder)).sort()).toEqual(['chunk_000.flac', 'chunk_001.flac', 'chunk_002.flac', 'metadata.json', 'start.f32']);
    expect(reopened.stats()).toMatchObject({ entries: 1, corruptEntries: 1, bytesUsed: await bytesOnDisk(directory) });
    expect(await reopened.readChunk('s', 'a', 2)).toBeDefined();
  });
});

/**
 * The exhaustive crash sweep, run as its own Node process by StreamingCache.crash.test.ts (plain
 * Node decodes several times faster than Jest's VM, and the sweep decodes ~5,000 chunks):
 * `node --conditions=@trax/source --import tsx crashSweep.fixture.ts '{"directory": "..."}'`.
 *
 * It counts the file operations of a workload (open, write, evict, reset, read, close), then
 * for each n runs the workload on a fresh copy of a prefilled cache with a file system that
 * freezes forever just before operation n — exactly what the disk holds after a kill -9 then —
 * and checks the copy as a new process would. Prints `{ total, runs, problems }` as JSON.
 */
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { crashingFileSystem } from './crashingFileSystem.fixture.js';
import { nodeProcessIdentity } from '../disk/nodeProcessIdentity.js';
import { flacChunkCodec } from '../format/flacChunkCodec.js';
import type { StemCacheInfo } from '../format/metadata.js';
import type { ChunkCodec } from '../ports/ChunkCodec.js';
import { StreamingCache } from '../StreamingCache.js';
import { bytesOnDisk, firstDifference, recordingLogger, testStem, type TestStem } from './testSupport.fixture.js';

export interface SweepSummary {
  readonly total: number;
  readonly runs: number;
  readonly hits: number;
  readonly problems: string[];
}

const SONGS = ['a', 'b', 'c'];
const STEMS = ['x', 'y'];

/** Encoding is the slow part and always gives the same bytes for the same PCM: do it once per chunk. */
const encoded = new Map<string, Uint8Array>();
const memoCodec: ChunkCodec = {
  encode(channels, format) {
    const key = `${channels.map((c) => crc32(new Uint8Array(c.buffer, c.byteOffset, c.byteLength))).join()}:${format.bitDepth}`;
    let bytes = encoded.get(key);
    if (!bytes) encoded.set(key, (bytes = flacChunkCodec.encode(channels, format)));
    return bytes;
  },
  decode: (bytes, name) => flacChunkCodec.decode(bytes, name),
};

async function cacheSong(cache: StreamingCache, stem: TestStem, song: string, info: StemCacheInfo = stem.info): Promise<void> {
  for (const id of STEMS) {
    await cache.writeMetadata(song, id, info);
    for (let i = 0; i < 3; i++) await cache.writeChunk(song, id, i, stem.chunk(i));
  }
}

/**
 * From a cache holding songs a and b: cache song c (which evicts a: the limit holds ~2.5 songs),
 * re-declare b/x from a "changed" source (a reset: chunks deleted, then one rewritten), read b,
 * save LRU order.
 */
async function workload(cache: StreamingCache, stem: TestStem): Promise<void> {
  await cacheSong(cache, stem, 'c');
  await cache.writeMetadata('b', 'x', { ...stem.info, source: { ...stem.info.source, md5: 'c'.repeat(32) } });
  await cache.writeChunk('b', 'x', 0, stem.chunk(0));
  for (const id of STEMS) await cache.readChunk('b', id, 1);
  await cache.close();
}

/** A fresh process's view: every chunk a miss or bit-exact, nothing damaged, no leftovers, accounting = disk. */
async function check(directory: string, stem: TestStem, maxBytes: number): Promise<{ hits: number; problems: string[] }> {
  const logger = recordingLogger();
  // The crashed instance lived in this process: tell the new one its locks are dead.
  const cache = await StreamingCache.open({ directory, logger, codec: memoCodec, maxBytes, processIdentity: { ...nodeProcessIdentity, isAlive: () => false } });
  const problems: string[] = [];
  let hits = 0;
  for (const song of SONGS)
    for (const id of STEMS)
      for (let i = 0; i < 3; i++) {
        const pcm = await cache.readChunk(song, id, i);
        if (!pcm) continue;
        hits++;
        const difference = firstDifference(pcm.channelData, stem.chunk(i).channelData);
        if (difference) problems.push(`${song}/${id} chunk ${i}: ${difference}`);
        if (i > 0) continue;
        // The quick start (start.f32), when there is one, must agree with chunk 0 too.
        const start = await cache.readRange(song, id, 0, 1000);
        const startDifference = start && firstDifference(start.channelData, stem.chunk(0).channelData.map((c) => c.subarray(0, 1000)));
        if (startDifference) problems.push(`${song}/${id} start slice: ${startDifference}`);
      }
  problems.push(...logger.at('warn').map((warning) => `warning: ${warning}`));
  const onDisk = await bytesOnDisk(directory);
  if (cache.stats().bytesUsed !== onDisk) problems.push(`accounts ${cache.stats().bytesUsed} bytes, ${onDisk} on disk`);
  const hidden = (await readdir(directory, { recursive: true })).filter((name) => path.basename(String(name)).startsWith('.'));
  if (hidden.length > 0) problems.push(`leftovers: ${hidden.join(', ')}`);
  await cache.close();
  return { hits, problems };
}

async function sweep(dir: string): Promise<SweepSummary> {
  const stem = await testStem(dir, 'sweep', { seconds: 0.3, chunkFrames: 4800 });
  const probe = await StreamingCache.open({ directory: path.join(dir, 'probe'), codec: memoCodec });
  await cacheSong(probe, stem, 'a');
  const maxBytes = Math.floor(2.5 * probe.stats().bytesUsed);
  const prefilled = path.join(dir, 'prefilled');
  const seed = await StreamingCache.open({ directory: prefilled, codec: memoCodec, maxBytes });
  for (const song of ['a', 'b']) await cacheSong(seed, stem, song);
  await seed.close();
  let copies = 0;
  const copy = async () => {
    const target = path.join(dir, `run-${++copies}`);
    await cp(prefilled, target, { recursive: true });
    return target;
  };

  const counting = crashingFileSystem(Number.POSITIVE_INFINITY, () => undefined);
  counting.arm();
  await workload(await StreamingCache.open({ directory: await copy(), fileSystem: counting, codec: memoCodec, maxBytes }), stem);
  const total = counting.ops;

  const problems: string[] = [];
  let hits = 0;
  for (let crashAt = 1; crashAt <= total; crashAt++) {
    const directory = await copy();
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    const fileSystem = crashingFileSystem(crashAt, crashed);
    fileSystem.arm();
    // The crashed run never settles (its file operations hang forever), like a killed process.
    void StreamingCache.open({ directory, fileSystem, codec: memoCodec, maxBytes }).then((cache) => workload(cache, stem));
    await crash;
    const result = await check(directory, stem, maxBytes);
    hits += result.hits;
    problems.push(...result.problems.map((problem) => `crash before operation ${crashAt} of ${total}: ${problem}`));
  }
  return { total, runs: total, hits, problems };
}

const { directory } = JSON.parse(process.argv[2]) as { directory: string };
process.stdout.write(`${JSON.stringify(await sweep(directory))}\n`);
// Crashed runs hold promises that never settle; nothing else keeps the process alive, but say so.
process.exit(0);

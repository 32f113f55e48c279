/**
 * A separate process using a cache folder, for the crash and two-process tests. Run as
 * `node --conditions=@trax/source --import tsx cacheChild.fixture.ts '<json ChildJob>'`.
 *
 * - `crash`: writes and evicts songs in a loop until killed; with `crashAtOp` it SIGKILLs itself
 *   just before its n-th file operation after opening the cache (half-way through writing a file
 *   for writeNewFile), so every step of a commit gets hit, not only the slow ones.
 * - `concurrent`: `rounds` times, writes every chunk in a shuffled order, reads every chunk back and
 *   compares it with the expected PCM, and now and then evicts everything; prints a summary.
 */
import { seededRandom } from '@trax/test-audio';
import { childStemPcm, type ChildJob, type ChildStem } from './childJob.fixture.js';
import { crashingFileSystem } from './crashingFileSystem.fixture.js';
import { nodeFileSystem } from '../disk/nodeFileSystem.js';
import { StreamingCache } from '../StreamingCache.js';
import { chunkOf, firstDifference, recordingLogger } from './testSupport.fixture.js';

async function main(job: ChildJob): Promise<void> {
  const logger = recordingLogger();
  const fileSystem = job.crashAtOp ? crashingFileSystem(job.crashAtOp, () => process.kill(process.pid, 'SIGKILL')) : undefined;
  const cache = await StreamingCache.open({ directory: job.directory, maxBytes: job.maxBytes, logger, fileSystem: fileSystem ?? nodeFileSystem, lockTimeoutMs: 10_000 });
  fileSystem?.arm();
  const random = seededRandom(job.seed);
  const pcm = new Map(job.stems.map((s) => [s, childStemPcm(s)]));
  const pcmOf = (s: ChildStem): Int32Array[] => pcm.get(s) ?? childStemPcm(s);
  const chunks = job.stems.flatMap((s) => Array.from({ length: Math.ceil(s.info.totalFrames / s.info.chunkFrames) }, (_, index) => ({ s, index })));
  const summary = { reads: 0, hits: 0, mismatches: [] as string[], warnings: logger.at('warn'), written: 0 };
  process.stdout.write('ready\n');

  const rounds = job.mode === 'crash' ? Infinity : (job.rounds ?? 3);
  for (let round = 0; round < rounds; round++) {
    const order = [...chunks].sort(() => random() - 0.5);
    for (const { s, index } of order) {
      await cache.writeMetadata(s.song, s.stem, s.info);
      if ((await cache.writeChunk(s.song, s.stem, index, chunkOf(pcmOf(s), s.info, index))) === 'written') summary.written++;
    }
    if (job.mode === 'crash') continue;
    for (const { s, index } of order) {
      const got = await cache.readChunk(s.song, s.stem, index);
      summary.reads++;
      if (!got) continue;
      summary.hits++;
      const difference = firstDifference(got.channelData, chunkOf(pcmOf(s), s.info, index).channelData);
      if (difference) summary.mismatches.push(`${s.song}/${s.stem} chunk ${index}: ${difference}`);
    }
    if (random() < 0.5) await cache.evictLru(0);
  }
  await cache.close();
  process.stdout.write(`${JSON.stringify({ ...summary, warnings: logger.at('warn') })}\n`);
}

await main(JSON.parse(process.argv[2]) as ChildJob);

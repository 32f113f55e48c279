import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seededRandom } from '@trax/test-audio';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { childStemPcm, type ChildJob, type ChildStem, type ChildSummary } from './testing/childJob.fixture.js';
import { lastJsonLine, runFixtureScript } from './testing/childProcess.fixture.js';
import { identifySource } from './disk/sourceIdentity.js';
import { StreamingCache } from './StreamingCache.js';
import { bytesOnDisk, chunkOf, firstDifference, recordingLogger, tempFolder, testStem } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
let stems: ChildStem[];
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('processes'));
  stems = [];
  for (const song of ['song-a', 'song-b', 'song-c'])
    for (const [n, stem] of ['drums', 'bass'].entries()) {
      // 0.3 s in 0.1 s chunks: three chunks per stem, 18 in all, each a few KB of FLAC.
      const made = await testStem(dir, `${song}-${stem}`, { seconds: 0.3, chunkFrames: 4800 });
      stems.push({ song, stem, seed: 10 * song.charCodeAt(5) + n, info: { ...made.info, source: await identifySource(made.info.source.path, made.info.source.md5) } });
    }
});
afterAll(() => cleanup());

/**
 * Opens the folder as a fresh process would and reads every chunk: each must be a miss or
 * bit-exact, and nothing may be reported damaged. Returns the number of hits.
 */
async function verifyEverything(directory: string): Promise<number> {
  const logger = recordingLogger();
  const cache = await StreamingCache.open({ directory, logger });
  let hits = 0;
  for (const s of stems) {
    const ints = childStemPcm(s);
    for (let index = 0; index < 3; index++) {
      const pcm = await cache.readChunk(s.song, s.stem, index);
      if (!pcm) continue;
      hits++;
      expect(firstDifference(pcm.channelData, chunkOf(ints, s.info, index).channelData)).toBeUndefined();
    }
  }
  expect(logger.at('warn')).toEqual([]);
  expect(cache.stats().bytesUsed).toBe(await bytesOnDisk(directory));
  const hidden = (await readdir(directory, { recursive: true })).filter((name) => path.basename(String(name)).startsWith('.'));
  expect(hidden).toEqual([]);
  await cache.close();
  return hits;
}

async function bytesPerSong(): Promise<number> {
  const cache = await StreamingCache.open({ directory: path.join(dir, 'measure') });
  for (const s of stems.filter((x) => x.song === 'song-a')) {
    await cache.writeMetadata(s.song, s.stem, s.info);
    for (let i = 0; i < 3; i++) await cache.writeChunk(s.song, s.stem, i, chunkOf(childStemPcm(s), s.info, i));
  }
  return cache.stats().bytesUsed;
}

describe('StreamingCache across processes', () => {
  it('survives kill -9 at any moment of writing and evicting: every entry is a miss or bit-exact', async () => {
    // Room for about two of the three songs, so the children evict as they write.
    const maxBytes = Math.floor((await bytesPerSong()) * 2.5);
    // Two independent lanes (one cache folder each) side by side: 2 × 10 = 20 kills in about half the time.
    const lane = async (laneNumber: number): Promise<number> => {
      const directory = path.join(dir, `crash-${laneNumber}`);
      const random = seededRandom(2024 + laneNumber);
      let killedMidWay = 0;
      for (let i = 0; i < 10; i++) {
        // Even runs die at a file operation after opening (1–60: the first few commits; the crash
        // sweep covers every operation exhaustively), odd ones at a random time.
        const crashAtOp = i % 2 === 0 ? 1 + Math.floor(random() * 60) : undefined;
        const job: ChildJob = { mode: 'crash', directory, stems, seed: 100 * laneNumber + i, maxBytes, crashAtOp };
        const exit = await runFixtureScript('cacheChild.fixture.ts', job, crashAtOp ? undefined : Math.floor(random() * 250));
        expect({ signal: exit.signal, stderr: exit.stderr }).toEqual({ signal: 'SIGKILL', stderr: expect.not.stringMatching(/Error/) });
        if (exit.stdout.includes('ready')) killedMidWay++;
        await verifyEverything(directory);
      }
      expect(await verifyEverything(directory)).toBeGreaterThan(0);
      return killedMidWay;
    };
    const killedMidWay = await Promise.all([lane(1), lane(2)]);
    // Most children were killed after opening the cache, in the middle of writes and evictions.
    expect(killedMidWay[0] + killedMidWay[1]).toBeGreaterThan(10);
  }, 120_000);

  it('two processes writing, reading and evicting the same entries at once never see or leave a damaged entry', async () => {
    const directory = path.join(dir, 'two');
    const jobs: ChildJob[] = [1, 2].map((seed) => ({ mode: 'concurrent', directory, stems, seed, rounds: 4 }));
    const exits = await Promise.all(jobs.map((job) => runFixtureScript('cacheChild.fixture.ts', job)));
    for (const exit of exits) {
      expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
      const summary = lastJsonLine<ChildSummary>(exit);
      expect(summary.mismatches).toEqual([]);
      expect(summary.warnings).toEqual([]);
      expect(summary.reads).toBe(4 * 18);
      expect(summary.hits).toBeGreaterThan(0);
    }
    await verifyEverything(directory);
  }, 60_000);
});

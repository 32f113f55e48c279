import { describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { StreamingCache, identifySource } from '@trax/streaming-cache/node';
import { fixture } from '@trax/test-audio';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax } from './runTrax.fixture.js';

/** Fills a cache folder with the first chunk of two stems, through the library. */
async function populatedCache(): Promise<string> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-cache-'));
  const song = await fixture({ songId: 'cli-cache', stems: 2, seconds: 3, sampleRate: 48_000, bitDepth: 16, channels: 2 });
  const cache = await StreamingCache.open({ directory });
  for (const stem of song.stems) {
    const decoder = await openFileDecoder(stem.path);
    await cache.writeMetadata(song.id, stem.id, {
      source: await identifySource(stem.path, decoder.md5),
      sampleRate: decoder.outputSampleRate,
      sourceSampleRate: decoder.sampleRate,
      channels: decoder.channels,
      bitDepth: decoder.bitDepth,
      chunkFrames: decoder.chunkFrames,
      totalFrames: decoder.totalFrames,
    });
    expect(await cache.writeChunk(song.id, stem.id, 0, await decoder.decodeChunk(0))).toBe('written');
    await decoder.close();
  }
  await cache.close();
  return directory;
}

describe('trax cache', () => {
  it('stats counts the entries, clear empties the folder, path prints it', async () => {
    const directory = await populatedCache();
    const stats = await runTrax(['cache', 'stats', '--cache-dir', directory, '--json']);
    expect(stats.code).toBe(0);
    const parsed = JSON.parse(stats.stdout.toString());
    expect(parsed).toMatchObject({ path: directory, entries: 2, songs: 1 });
    expect(parsed.bytesUsed).toBeGreaterThan(10_000);

    const clear = await runTrax(['cache', 'clear', '--cache-dir', directory, '--json']);
    expect(clear.code).toBe(0);
    expect(JSON.parse(clear.stdout.toString())).toMatchObject({ freedBytes: parsed.bytesUsed, entries: 2 });
    const left = existsSync(directory) ? readdirSync(directory).filter((name) => name.includes('cli-cache')) : [];
    expect(left).toEqual([]);
    const after = JSON.parse((await runTrax(['cache', 'stats', '--cache-dir', directory, '--json'])).stdout.toString());
    expect(after).toMatchObject({ entries: 0, bytesUsed: 0 });

    const where = await runTrax(['cache', 'path'], { env: { TRAX_CACHE_DIR: directory } });
    expect(where.stdout.toString().trim()).toBe(directory);
    rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  it('exits 2 for an unknown cache action', async () => {
    const run = await runTrax(['cache', 'shred']);
    expect(run.code).toBe(2);
  });
});

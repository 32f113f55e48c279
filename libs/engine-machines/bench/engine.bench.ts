// Measures the engine over the real stack: first audio (cold and cached), seek latency, offline
// render speed and buffer memory, for a song of 30 stereo stems (48 kHz, 24-bit).
// Run: npx tsx --conditions=@trax/source libs/engine-machines/bench/engine.bench.ts [stems] [seconds]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkLoader } from '@trax/chunk-loader';
import { StreamingCache, streamingCacheStore } from '@trax/streaming-cache/node';
import { fixture } from '@trax/test-audio';
import { chunkDecoderWholeStem, createEngine, RenderSink } from '@trax/engine-machines';
import type { Setlist } from '@trax/engine-machines';

const stems = Number(process.argv[2] ?? 30);
const seconds = Number(process.argv[3] ?? 90);
const RATE = 48_000;

async function main(): Promise<void> {
  const song = await fixture({ songId: `bench-${stems}x${seconds}`, stems, seconds, sampleRate: RATE, bitDepth: 24, channels: 2, encoder: 'internal' });
  const setlist: Setlist = { name: 'bench', source: 'bench', songs: [{ id: song.id, title: song.id, stems: song.stems.map((s) => ({ id: s.id, path: s.path, gainDb: 0 })) }] };
  const dir = await mkdtemp(path.join(tmpdir(), 'trax-engine-bench-'));
  for (const workers of [0, undefined]) {
    const cacheDir = path.join(dir, `cache-${workers ?? 'default'}`);
    for (const run of ['cold', 'cached']) {
      const cache = await StreamingCache.open({ directory: cacheDir, durable: false });
      const loader = await ChunkLoader.start({ workers, outputSampleRate: RATE, cache: streamingCacheStore(cache) });
      const engine = createEngine({ loader, legacyDecoder: chunkDecoderWholeStem, setlist });
      const rss0 = process.memoryUsage().rss;
      const started = performance.now();
      const result = await new RenderSink(engine.playback).run({
        seconds: 40,
        script: [
          { at: 0, run: () => engine.playSong(song.id) },
          { at: 10, run: () => engine.seek(seconds / 3) }, // out of the buffer (in the cached first minute for 90 s songs)
          { at: 20, run: () => engine.seek(seconds - 15) }, // beyond the cached minute: decoded
          { at: 25, run: () => engine.seek(seconds - 5) }, // within the buffer (5 s ahead)
        ],
      });
      const wall = performance.now() - started;
      const m = engine.metrics().songs[0];
      console.log(
        JSON.stringify({
          stems,
          workers: workers ?? 'default',
          run,
          firstAudioMs: Math.round(m.firstAudioMs ?? -1),
          seekLatencyMs: m.seekLatencyMs.map((x) => Math.round(x)),
          renderSpeed: `${(result.seconds / (wall / 1000)).toFixed(1)}x realtime`,
          waitedMs: Math.round(result.waitedMs),
          cacheHitRate: m.cache.hitRate?.toFixed(2),
          peakBufferMB: (m.peakBufferBytes / 1e6).toFixed(1),
          rssGrowthMB: ((process.memoryUsage().rss - rss0) / 1e6).toFixed(0),
          underruns: m.underruns,
        }),
      );
      while (loader.pendingJobs > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await engine.close();
      await loader.stop();
      if (process.env.DEBUG_BENCH) console.log(await cache.stats());
      await cache.close();
    }
  }
  await rm(dir, { recursive: true, force: true });
}

void main();

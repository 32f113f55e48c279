// Loader benchmark: `nx run chunk-loader:bench` (all figures of one run, every pooled figure next
// to the single-thread figure measured in the same run). Quick run:
//   nx run chunk-loader:bench --stems=8 --seconds=60 --play-seconds=20
// Reference song (issue 5): 30 stems × 360 s, 48 kHz / 24-bit stereo, from @trax/test-audio's
// cached fixtures (generated once, then reused from disk).
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { StreamingCache, streamingCacheStore } from '@trax/streaming-cache/node';
import { fixture } from '@trax/test-audio';
import type { GeneratedSong } from '@trax/test-audio';
import { ChunkLoader, defaultWorkerCount } from '../src/index.js';
import type { ChunkLoaderOptions, StemInfo } from '../src/index.js';
import { median, ms, parseBenchArgs } from './benchArgs.js';
import { simulatePlayback } from './playback.js';
import type { PlaybackResult } from './playback.js';

const args = parseBenchArgs(process.argv.slice(2));
const poolSize = defaultWorkerCount();
const SINGLE = 'workers: 0 (single thread)';
const POOL = `default pool (${poolSize} worker${poolSize === 1 ? '' : 's'} + urgent help)`;
const POOL_ONLY = `default pool (${poolSize} worker${poolSize === 1 ? '' : 's'}, no urgent help)`;
const CONFIGS: Record<string, ChunkLoaderOptions> = { [SINGLE]: { workers: 0 }, [POOL]: {}, [POOL_ONLY]: { urgentOnCallingThread: false } };

async function openAll(loader: ChunkLoader, song: GeneratedSong, songId: string): Promise<StemInfo[]> {
  return Promise.all(song.stems.map((stem) => loader.openStem({ song: songId, stem: stem.id, path: stem.path })));
}

interface Started {
  readonly label: string;
  readonly loader: ChunkLoader;
  readonly startMs: number;
}

/** One loader per configuration, all started before any timing (the pools are warm). */
async function startAll(labels: readonly string[]): Promise<Started[]> {
  const started: Started[] = [];
  for (const label of labels) {
    const t = performance.now();
    const loader = await ChunkLoader.start(CONFIGS[label]);
    started.push({ label, loader, startMs: performance.now() - t });
  }
  return started;
}

/**
 * Urgent first 0.5 s of every stem, uncached. Runs alternate between the configurations (A B C
 * A B C ...) so that load from other processes on this shared machine spreads over all of them.
 * Each run opens the stems as a new song (decoders opened afresh) and closes it afterwards.
 */
async function firstAudio(loaders: readonly Started[], song: GeneratedSong): Promise<Record<string, { openMs: number[]; latencies: number[] }>> {
  const results = Object.fromEntries(loaders.map(({ label }) => [label, { openMs: [] as number[], latencies: [] as number[] }]));
  for (let run = 0; run < args.runs; run++) {
    for (const { label, loader } of loaders) {
      const songId = `first-audio-${run}`;
      const opening = performance.now();
      const stems = await openAll(loader, song, songId);
      const requested = performance.now();
      await Promise.all(stems.map((stem) => loader.request(stem, { startFrame: 0, frameCount: stem.outputSampleRate / 2 }, 'urgent')));
      const result = results[label];
      result.latencies.push(performance.now() - requested);
      result.openMs.push(requested - opening);
      await loader.closeSong(songId);
    }
  }
  return results;
}

/** Whole 5 s chunks 1..K of every stem at normal priority, all requested at once; runs alternate between configurations. */
async function throughput(loaders: readonly Started[], song: GeneratedSong): Promise<Record<string, { wallMs: number[]; audioSeconds: number; decodeMs: number[] }>> {
  const results = Object.fromEntries(loaders.map(({ label }) => [label, { wallMs: [] as number[], audioSeconds: 0, decodeMs: [] as number[] }]));
  const subscriptions = loaders.map(({ label, loader }) =>
    loader.metrics$.subscribe((event) => {
      if (event.type === 'request.completed' && event.decodeMs !== undefined && event.priority === 'normal') results[label].decodeMs.push(event.decodeMs);
    }),
  );
  for (let run = 0; run < Math.max(1, Math.round(args.runs * 0.6)); run++) {
    for (const { label, loader } of loaders) {
      const songId = `throughput-${run}`;
      const stems = await openAll(loader, song, songId);
      const started = performance.now();
      const chunks = await Promise.all(stems.flatMap((stem) => Array.from({ length: args.throughputChunks }, (_, i) => loader.request(stem, 1 + i, 'normal'))));
      const result = results[label];
      result.wallMs.push(performance.now() - started);
      result.audioSeconds = chunks.reduce((sum, chunk) => sum + chunk.frameCount / chunk.sampleRate, 0);
      await loader.closeSong(songId);
    }
  }
  for (const subscription of subscriptions) subscription.unsubscribe();
  return results;
}

/** Real-time playback over a fresh, empty disk cache (@trax/streaming-cache, durable writes) being filled at idle priority. */
async function playback(options: ChunkLoaderOptions, song: GeneratedSong, directory: string): Promise<PlaybackResult & { cacheBytes: number }> {
  const cache = await StreamingCache.open({ directory, maxBytes: 50e9 });
  try {
    const loader = await ChunkLoader.start({ ...options, cache: streamingCacheStore(cache) });
    const stems = await openAll(loader, song, 'playback');
    const result = await simulatePlayback(loader, stems, args.playSeconds, args.speed);
    await loader.stop();
    return { ...result, cacheBytes: cache.stats().bytesUsed };
  } finally {
    await cache.close();
  }
}

/** A song played before: first 0.5 s of every stem from the disk cache a new loader (an app restart) finds. */
async function cachedFirstAudio(options: ChunkLoaderOptions, song: GeneratedSong, directory: string): Promise<{ latencies: number[]; fromCache: number }> {
  const cache = await StreamingCache.open({ directory, maxBytes: 50e9 });
  const loader = await ChunkLoader.start({ ...options, cache: streamingCacheStore(cache) });
  const latencies: number[] = [];
  let fromCache = 0;
  try {
    for (let run = 0; run < args.runs; run++) {
      const stems = await openAll(loader, song, 'playback');
      const requested = performance.now();
      const chunks = await Promise.all(stems.map((stem) => loader.request(stem, { startFrame: 0, frameCount: stem.outputSampleRate / 2 }, 'urgent')));
      latencies.push(performance.now() - requested);
      fromCache += chunks.filter((chunk) => chunk.from === 'cache').length;
      await loader.closeSong('playback');
    }
  } finally {
    await loader.stop();
    await cache.close();
  }
  return { latencies, fromCache };
}

function row(label: string, value: string, reference?: string): void {
  console.log(`  ${label.padEnd(44)} ${value.padEnd(34)}${reference ? ` single thread: ${reference}` : ''}`);
}

async function main(): Promise<void> {
  console.log(`chunk-loader bench — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), default pool = ${poolSize} worker(s)`);
  // Shared machines: other processes' load changes every figure; print it so runs can be compared.
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const generating = performance.now();
  const song = await fixture({ songId: `loader-bench-${args.stems}x${args.seconds}`, stems: args.stems, seconds: args.seconds, sampleRate: 48_000, bitDepth: 24, channels: 2 });
  console.log(`reference song: ${song.stems.length} stems × ${args.seconds} s, ${song.sampleRate} Hz / ${song.bitDepth}-bit ${song.channels}ch (${song.encoder}), ready in ${ms(performance.now() - generating)}\n`);

  const loaders = await startAll([SINGLE, POOL, POOL_ONLY]);
  console.log(`1. First audio: urgent first 0.5 s of ${args.stems} stems, uncached, pools started (${args.runs} runs each, interleaved; target ≤ 60 ms)`);
  const first = await firstAudio(loaders, song);
  const single = first[SINGLE];
  for (const { label, startMs } of loaders) {
    const result = first[label];
    // min = the cost with the least interference from other processes; median = typical right now.
    const value = `min ${ms(Math.min(...result.latencies))}, median ${ms(median(result.latencies))}, max ${ms(Math.max(...result.latencies))}`;
    row(label, value, label === SINGLE ? undefined : `min ${ms(Math.min(...single.latencies))}, median ${ms(median(single.latencies))}`);
    row('    runs', result.latencies.map((v) => v.toFixed(0)).join(' / ') + ' ms');
    row('    start() / openStem of all stems', `${ms(startMs)} / median ${ms(median(result.openMs))}`);
  }

  console.log(`\n2. Throughput: normal whole 5 s chunks 1..${args.throughputChunks} of ${args.stems} stems, all requested at once (runs interleaved)`);
  const rates = await throughput(loaders.slice(0, 2), song);
  const singleThroughput = rates[SINGLE];
  const poolThroughput = rates[POOL];
  for (const { loader } of loaders) await loader.stop();
  const realtime = (r: { wallMs: number[]; audioSeconds: number }) => r.audioSeconds / (median(r.wallMs) / 1000);
  row(SINGLE, `${ms(median(singleThroughput.wallMs))} = ${realtime(singleThroughput).toFixed(0)}x realtime (median)`);
  row(POOL, `${ms(median(poolThroughput.wallMs))} = ${realtime(poolThroughput).toFixed(0)}x realtime (median)`, `${realtime(singleThroughput).toFixed(0)}x`);
  const speedup = median(singleThroughput.wallMs) / median(poolThroughput.wallMs);
  row('    speedup pool / single thread', `${speedup.toFixed(2)}x ${speedup >= 0.9 ? '(ok: not more than 10 % slower)' : '(FAIL: more than 10 % slower)'}`);
  row('    decode time per chunk, median (single | pool)', `${ms(median(singleThroughput.decodeMs))} | ${ms(median(poolThroughput.decodeMs))}`);
  row('    runs (single | pool)', `${singleThroughput.wallMs.map((v) => v.toFixed(0)).join('/')} | ${poolThroughput.wallMs.map((v) => v.toFixed(0)).join('/')} ms`);

  console.log(`\n3. Playback: ${args.stems} stems playing ${args.playSeconds} s at ${args.speed}x real time, 4-chunk buffers, empty disk cache (@trax/streaming-cache) written at idle priority`);
  const plays: Record<string, PlaybackResult & { cacheBytes: number }> = {};
  const cacheDirs: Record<string, string> = {};
  for (const label of [SINGLE, POOL]) {
    cacheDirs[label] = await mkdtemp(path.join(tmpdir(), 'loader-bench-cache-'));
    plays[label] = await playback(CONFIGS[label], song, cacheDirs[label]);
  }
  for (const [label, r] of Object.entries(plays)) {
    const ref = label === SINGLE ? undefined : plays[SINGLE];
    console.log(`  ${label}`);
    row('    min chunks ahead after fill (target ≥ 2)', r.minChunksAhead.toFixed(2), ref?.minChunksAhead.toFixed(2));
    row('    underruns after fill / during start-up', `${r.underrunsAfterFill} / ${r.underrunsBeforeFill}`, ref ? `${ref.underrunsAfterFill} / ${ref.underrunsBeforeFill}` : undefined);
    row('    first audio / fill to ≥ 2 chunks', `${ms(r.firstAudioMs)} / ${ms(r.fillMs)}`, ref ? `${ms(ref.firstAudioMs)} / ${ms(ref.fillMs)}` : undefined);
    row('    loads / cache writes during playback', `${r.loads} / ${r.cacheWrites}`, ref ? `${ref.loads} / ${ref.cacheWrites}` : undefined);
    row('    cache write time median / max', `${ms(r.cacheWriteMedianMs)} / ${ms(r.cacheWriteMaxMs)}`, ref ? `${ms(ref.cacheWriteMedianMs)} / ${ms(ref.cacheWriteMaxMs)}` : undefined);
    row('    cache on disk after playback', `${(r.cacheBytes / 1e6).toFixed(0)} MB`, ref ? `${(ref.cacheBytes / 1e6).toFixed(0)} MB` : undefined);
    row('    event-loop delay p99 / max', `${ms(r.loopDelayP99Ms)} / ${ms(r.loopDelayMaxMs)}`, ref ? `${ms(ref.loopDelayP99Ms)} / ${ms(ref.loopDelayMaxMs)}` : undefined);
    row('    CPU (cores busy, all threads)', r.cpuCores.toFixed(2), ref?.cpuCores.toFixed(2));
  }

  console.log(`\n4. Cached first audio: first 0.5 s of ${args.stems} stems from the disk cache written above, new loader (${args.runs} runs)`);
  try {
    const cached: Record<string, Awaited<ReturnType<typeof cachedFirstAudio>>> = {};
    for (const label of [SINGLE, POOL]) cached[label] = await cachedFirstAudio(CONFIGS[label], song, cacheDirs[label]);
    for (const [label, r] of Object.entries(cached)) {
      const ref = label === SINGLE ? undefined : cached[SINGLE];
      const describe = (x: typeof r) => `min ${ms(Math.min(...x.latencies))}, median ${ms(median(x.latencies))} (${x.fromCache}/${x.latencies.length * args.stems} from cache)`;
      row(label, describe(r), ref ? describe(ref) : undefined);
    }
  } finally {
    for (const directory of Object.values(cacheDirs)) await rm(directory, { recursive: true, force: true });
  }
}

await main();
console.log(`\nload average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

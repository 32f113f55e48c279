// Loader benchmark: `nx run chunk-loader:bench` (all figures of one run, every pooled figure next
// to the single-thread figure measured in the same run). Quick run:
//   nx run chunk-loader:bench --stems=8 --seconds=60 --play-seconds=20
// Reference song (issue 5): 30 stems × 360 s, 48 kHz / 24-bit stereo, from @trax/test-audio's
// cached fixtures (generated once, then reused from disk).
import { cpus } from 'node:os';
import { fixture } from '@trax/test-audio';
import type { GeneratedSong } from '@trax/test-audio';
import { ChunkLoader, defaultWorkerCount, MemoryChunkStore } from '../src/index.js';
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

/** Urgent first 0.5 s of every stem, uncached; the pool is started before timing. */
async function firstAudio(options: ChunkLoaderOptions, song: GeneratedSong): Promise<{ startMs: number; openMs: number[]; latencies: number[] }> {
  const started = performance.now();
  const loader = await ChunkLoader.start(options);
  const startMs = performance.now() - started;
  const openMs: number[] = [];
  const latencies: number[] = [];
  for (let run = 0; run < args.runs; run++) {
    const songId = `first-audio-${run}`;
    const opening = performance.now();
    const stems = await openAll(loader, song, songId);
    openMs.push(performance.now() - opening);
    const requested = performance.now();
    await Promise.all(stems.map((stem) => loader.request(stem, { startFrame: 0, frameCount: stem.outputSampleRate / 2 }, 'urgent')));
    latencies.push(performance.now() - requested);
    await loader.closeSong(songId); // next run opens the stems afresh, as a new song would
  }
  await loader.stop();
  return { startMs, openMs, latencies };
}

/** Whole 5 s chunks 1..K of every stem at normal priority, all requested at once. */
async function throughput(options: ChunkLoaderOptions, song: GeneratedSong): Promise<{ wallMs: number[]; audioSeconds: number }> {
  const loader = await ChunkLoader.start(options);
  const wallMs: number[] = [];
  let audioSeconds = 0;
  for (let run = 0; run < Math.max(1, Math.round(args.runs * 0.6)); run++) {
    const songId = `throughput-${run}`;
    const stems = await openAll(loader, song, songId);
    const started = performance.now();
    const chunks = await Promise.all(stems.flatMap((stem) => Array.from({ length: args.throughputChunks }, (_, i) => loader.request(stem, 1 + i, 'normal'))));
    wallMs.push(performance.now() - started);
    audioSeconds = chunks.reduce((sum, chunk) => sum + chunk.frameCount / chunk.sampleRate, 0);
    await loader.closeSong(songId);
  }
  await loader.stop();
  return { wallMs, audioSeconds };
}

async function playback(options: ChunkLoaderOptions, song: GeneratedSong): Promise<PlaybackResult & { store: string }> {
  const store = new MemoryChunkStore();
  const loader = await ChunkLoader.start({ ...options, cache: store });
  const stems = await openAll(loader, song, 'playback');
  const result = await simulatePlayback(loader, stems, args.playSeconds, args.speed);
  await loader.stop();
  return { ...result, store: 'MemoryChunkStore' };
}

function row(label: string, value: string, reference?: string): void {
  console.log(`  ${label.padEnd(44)} ${value.padEnd(34)}${reference ? ` single thread: ${reference}` : ''}`);
}

async function main(): Promise<void> {
  console.log(`chunk-loader bench — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), default pool = ${poolSize} worker(s)`);
  const generating = performance.now();
  const song = await fixture({ songId: `loader-bench-${args.stems}x${args.seconds}`, stems: args.stems, seconds: args.seconds, sampleRate: 48_000, bitDepth: 24, channels: 2 });
  console.log(`reference song: ${song.stems.length} stems × ${args.seconds} s, ${song.sampleRate} Hz / ${song.bitDepth}-bit ${song.channels}ch (${song.encoder}), ready in ${ms(performance.now() - generating)}\n`);

  console.log(`1. First audio: urgent first 0.5 s of ${args.stems} stems, uncached, pool started (${args.runs} runs; target ≤ 60 ms)`);
  const first: Record<string, Awaited<ReturnType<typeof firstAudio>>> = {};
  for (const [label, options] of Object.entries(CONFIGS)) first[label] = await firstAudio(options, song);
  const single = first[SINGLE];
  for (const [label, result] of Object.entries(first)) {
    const value = `median ${ms(median(result.latencies))}, max ${ms(Math.max(...result.latencies))}`;
    row(label, value, label === SINGLE ? undefined : `median ${ms(median(single.latencies))}`);
    row('    runs', result.latencies.map((v) => v.toFixed(0)).join(' / ') + ' ms');
    row('    start() / openStem of all stems', `${ms(result.startMs)} / median ${ms(median(result.openMs))}`);
  }

  console.log(`\n2. Throughput: normal whole 5 s chunks 1..${args.throughputChunks} of ${args.stems} stems, all requested at once`);
  const singleThroughput = await throughput(CONFIGS[SINGLE], song);
  const poolThroughput = await throughput(CONFIGS[POOL], song);
  const realtime = (r: { wallMs: number[]; audioSeconds: number }) => r.audioSeconds / (median(r.wallMs) / 1000);
  row(SINGLE, `${ms(median(singleThroughput.wallMs))} = ${realtime(singleThroughput).toFixed(0)}x realtime`);
  row(POOL, `${ms(median(poolThroughput.wallMs))} = ${realtime(poolThroughput).toFixed(0)}x realtime`, `${realtime(singleThroughput).toFixed(0)}x`);
  const speedup = median(singleThroughput.wallMs) / median(poolThroughput.wallMs);
  row('    speedup pool / single thread', `${speedup.toFixed(2)}x ${speedup >= 0.9 ? '(ok: not more than 10 % slower)' : '(FAIL: more than 10 % slower)'}`);
  row('    runs (single | pool)', `${singleThroughput.wallMs.map((v) => v.toFixed(0)).join('/')} | ${poolThroughput.wallMs.map((v) => v.toFixed(0)).join('/')} ms`);

  console.log(`\n3. Playback: ${args.stems} stems playing ${args.playSeconds} s at ${args.speed}x real time, 4-chunk buffers, cache written at idle priority`);
  const plays: Record<string, PlaybackResult & { store: string }> = {};
  for (const label of [SINGLE, POOL]) plays[label] = await playback(CONFIGS[label], song);
  for (const [label, r] of Object.entries(plays)) {
    const ref = label === SINGLE ? undefined : plays[SINGLE];
    console.log(`  ${label} (store: ${r.store})`);
    row('    min chunks ahead after fill (target ≥ 2)', r.minChunksAhead.toFixed(2), ref?.minChunksAhead.toFixed(2));
    row('    underruns', String(r.underruns), ref ? String(ref.underruns) : undefined);
    row('    first audio / fill to ≥ 2 chunks', `${ms(r.firstAudioMs)} / ${ms(r.fillMs)}`, ref ? `${ms(ref.firstAudioMs)} / ${ms(ref.fillMs)}` : undefined);
    row('    loads / cache writes during playback', `${r.loads} / ${r.cacheWrites}`, ref ? `${ref.loads} / ${ref.cacheWrites}` : undefined);
    row('    event-loop delay p99 / max', `${ms(r.loopDelayP99Ms)} / ${ms(r.loopDelayMaxMs)}`, ref ? `${ms(ref.loopDelayP99Ms)} / ${ms(ref.loopDelayMaxMs)}` : undefined);
    row('    CPU (cores busy, all threads)', r.cpuCores.toFixed(2), ref?.cpuCores.toFixed(2));
  }
}

await main();

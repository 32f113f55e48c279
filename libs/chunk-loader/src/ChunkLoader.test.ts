import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkLoader } from './ChunkLoader.js';
import type { ChunkLoaderCoreOptions } from './ChunkLoaderOptions.js';
import { CancelledError, ChunkLoadError, InvalidSpanError, LoaderStoppedError, UnknownStemError } from './errors.js';
import type { LoaderEvent } from './metrics/LoaderEvent.js';
import { InlineDecodePool } from './pool/InlineDecodePool.js';
import type { ChunkStore } from './ports/ChunkStore.js';
import type { DecodePool, DecodeTask } from './ports/DecodePool.js';
import { silentLogger } from './ports/Logger.js';
import type { PcmBlock } from './ports/StemDecoder.js';
import { MemoryChunkStore } from './store/MemoryChunkStore.js';
import { attemptsMade, expectedSyntheticPcm, syntheticDecoderFactory, syntheticStats, writeSyntheticStem } from './testing/syntheticStem.fixture.js';
import type { SyntheticStemSpec } from './testing/syntheticStem.fixture.js';
import type { LoadedChunk, StemInfo } from './types.js';

// 1 s chunks of a 48 kHz stereo 24-bit synthetic stem, 10.5 s long: 11 chunks, the last 0.5 s.
const CHUNK_SECONDS = 1;
const SPEC: SyntheticStemSpec = { sampleRate: 48_000, channels: 2, bitDepth: 24, totalFrames: 504_000 };

let dir: string;
let loader: ChunkLoader | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chunk-loader-'));
});

afterEach(async () => {
  await loader?.stop();
  loader = undefined;
  await rm(dir, { recursive: true, force: true });
});

function startInline(options: ChunkLoaderCoreOptions = {}): ChunkLoader {
  loader = new ChunkLoader(new InlineDecodePool(syntheticDecoderFactory, { chunkSeconds: CHUNK_SECONDS }), { retry: { baseDelayMs: 1 }, ...options });
  return loader;
}

async function openStem(l: ChunkLoader, name: string, spec: SyntheticStemSpec = SPEC, song = 'song1'): Promise<StemInfo> {
  return l.openStem({ song, stem: name, path: await writeSyntheticStem(dir, `${song}-${name}`, spec) });
}

function expectPcm(chunk: Pick<LoadedChunk, 'channelData' | 'startFrame' | 'frameCount'>, stem: StemInfo, spec: SyntheticStemSpec = SPEC): void {
  const expected = expectedSyntheticPcm(stem.path, spec, chunk.startFrame, chunk.frameCount);
  expect(chunk.channelData).toHaveLength(expected.length);
  chunk.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength).equals(Buffer.from(expected[c].buffer))).toBe(true));
}

function collect(l: ChunkLoader): { loaded: LoadedChunk[]; events: LoaderEvent[] } {
  const loaded: LoadedChunk[] = [];
  const events: LoaderEvent[] = [];
  l.loaded$.subscribe((chunk) => loaded.push(chunk));
  l.metrics$.subscribe((event) => events.push(event));
  return { loaded, events };
}

describe('ChunkLoader (inline pool, synthetic stems)', () => {
  it('opens a stem from its headers and delivers exact PCM for whole chunks and slices', async () => {
    const l = startInline();
    const { loaded, events } = collect(l);
    const bass = await openStem(l, 'bass');
    expect(bass).toMatchObject({ song: 'song1', stem: 'bass', chunkFrames: 48_000, totalChunks: 11, channels: 2, totalFrames: 504_000 });

    const chunk3 = await l.request(bass, 3, 'normal');
    expect(chunk3).toMatchObject({ chunkIndex: 3, startFrame: 144_000, frameCount: 48_000, from: 'decode', generation: 0, sampleRate: 48_000 });
    expectPcm(chunk3, bass);

    // first 0.5 s, and a slice from a seek position to the end of its chunk
    const first = await l.request(bass, { startFrame: 0, frameCount: 24_000 }, 'urgent');
    expect(first).toMatchObject({ chunkIndex: 0, startFrame: 0, frameCount: 24_000 });
    expectPcm(first, bass);
    const seek = await l.request(bass, { startFrame: 250_123, frameCount: 288_000 - 250_123 }, 'urgent');
    expect(seek).toMatchObject({ chunkIndex: 5, frameCount: 37_877 });
    expectPcm(seek, bass);

    // the last chunk is short; a slice past the end is cut
    const last = await l.request(bass, 10, 'normal');
    expect(last.frameCount).toBe(24_000);
    expectPcm(last, bass);
    const tail = await l.request(bass, { startFrame: 500_000, frameCount: 10_000 }, 'normal');
    expect(tail.frameCount).toBe(4_000);

    expect(loaded).toHaveLength(5);
    const completed = events.filter((e) => e.type === 'request.completed');
    expect(completed).toHaveLength(5);
    expect(completed[0]).toMatchObject({ type: 'request.completed', song: 'song1', stem: 'bass', chunkIndex: 3, from: 'decode', bytes: 2 * 48_000 * 4, attempts: 1, shared: false });
    expect(l.counters()).toMatchObject({ requests: 5, decodes: 5, hits: 0, misses: 0 });
  });

  it('rejects unknown stems and invalid spans at once, with the stem named', async () => {
    const l = startInline();
    const bass = await openStem(l, 'bass');
    await expect(l.request({ song: 'song1', stem: 'nope' }, 0, 'normal')).rejects.toBeInstanceOf(UnknownStemError);
    await expect(l.request(bass, 11, 'normal')).rejects.toBeInstanceOf(InvalidSpanError);
    await expect(l.request(bass, { startFrame: 0, frameCount: 48_001 }, 'normal')).rejects.toThrow(/may not exceed one chunk/);
    await expect(l.request(bass, { startFrame: 504_000, frameCount: 1 }, 'normal')).rejects.toThrow(/song1\/bass/);
  });

  it('serves an urgent request before queued normal ones; the running decode is not interrupted', async () => {
    const l = startInline();
    const { loaded } = collect(l);
    const slow = { ...SPEC, decodeDelayMs: 15 };
    const stems = await Promise.all(['a', 'b', 'c', 'd'].map((n) => openStem(l, n, slow)));
    const normals = stems.map((s) => l.request(s, 0, 'normal'));
    const idle = l.request(stems[0], 5, 'idle');
    const urgent = l.request(stems[3], { startFrame: 96_000, frameCount: 24_000 }, 'urgent');
    await Promise.all([...normals, urgent, idle]);
    expect(loaded.map((c) => `${c.stem}#${c.chunkIndex}`)).toEqual(['a#0', 'd#2', 'b#0', 'c#0', 'd#0', 'a#5']);
    const urgentChunk = await urgent;
    // It waited only for the decode already running, not for the three queued before it.
    expect(urgentChunk.timing.queuedMs).toBeLessThan(loaded[0].timing.loadMs + 10);
  });

  it('deduplicates identical requests into one decode; each receiver owns its arrays', async () => {
    const l = startInline();
    const bass = await openStem(l, 'bass');
    const before = attemptsMade(bass.path);
    const [a, b, c] = await Promise.all([
      l.request(bass, 2, 'normal'),
      l.request(bass, 2, 'urgent'),
      l.request(bass, { startFrame: 96_000, frameCount: 48_000 }, 'idle'), // the same frames as chunk 2
    ]);
    expect(attemptsMade(bass.path) - before).toBe(1);
    expect(l.counters().deduplicated).toBe(2);
    for (const chunk of [a, b, c]) expectPcm(chunk, bass);
    expect(a.channelData[0].buffer).not.toBe(b.channelData[0].buffer);
    expect(b.channelData[0].buffer).not.toBe(c.channelData[0].buffer);
  });

  it('after a seek, cancelled chunks (queued and in flight) are never delivered; new ones carry the new generation', async () => {
    const l = startInline();
    const { loaded, events } = collect(l);
    const bass = await openStem(l, 'bass', { ...SPEC, decodeDelayMs: 10 });
    const before = [0, 1, 2, 3].map((i) => l.request(bass, i, 'normal'));
    const outcomes = before.map((p) => p.then(() => 'delivered', (e: unknown) => e));
    await Promise.resolve(); // chunk 0 is now decoding
    expect(l.cancel({ song: 'song1' })).toBe(4);
    for (const outcome of await Promise.all(outcomes)) {
      expect(outcome).toBeInstanceOf(CancelledError);
      expect((outcome as CancelledError).reason).toBe('cancelled');
    }
    expect(l.generationOf(bass)).toBe(1);
    const after = await l.request(bass, 7, 'urgent');
    expect(after.generation).toBe(1);
    await new Promise((r) => setTimeout(r, 30)); // let the orphaned decode finish
    expect(loaded.map((c) => c.chunkIndex)).toEqual([7]);
    expect(l.counters().cancellations).toBe(4);
    expect(events.find((e) => e.type === 'request.cancelled')).toMatchObject({ count: 4, reason: 'cancelled' });
  });

  it('cancel with a priority drops only that priority and keeps the generation', async () => {
    const l = startInline();
    const bass = await openStem(l, 'bass', { ...SPEC, decodeDelayMs: 5 });
    const urgent = l.request(bass, 0, 'urgent');
    const idle = l.request(bass, 1, 'idle');
    const normal = l.request(bass, 2, 'normal');
    expect(l.cancel({ song: 'song1', priority: 'idle' })).toBe(1);
    await expect(idle).rejects.toBeInstanceOf(CancelledError);
    expect((await urgent).generation).toBe(0);
    expect((await normal).generation).toBe(0);
    expect(l.generationOf(bass)).toBe(0);
  });

  it('retries a failing decode with backoff, then succeeds', async () => {
    const l = startInline({ retry: { attempts: 3, baseDelayMs: 5 } });
    const { events } = collect(l);
    const flaky = await openStem(l, 'flaky', { ...SPEC, failFirst: 2 });
    const started = performance.now();
    const chunk = await l.request(flaky, 1, 'normal');
    expectPcm(chunk, flaky);
    const retries = events.filter((e) => e.type === 'request.retry');
    expect(retries.map((e) => e.type === 'request.retry' && e.delayMs)).toEqual([5, 10]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(l.counters()).toMatchObject({ retries: 2, failures: 0 });
    expect(events.find((e) => e.type === 'request.completed')).toMatchObject({ attempts: 3 });
  });

  it('reports a terminal error after the last attempt: rejected request plus a stem.failed event', async () => {
    const l = startInline({ retry: { attempts: 3, baseDelayMs: 1 } });
    const { events } = collect(l);
    const broken = await openStem(l, 'broken', { ...SPEC, failFirst: 1000 });
    const error = await l.request(broken, 4, 'urgent').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkLoadError);
    expect(error).toMatchObject({ song: 'song1', stem: 'broken', chunkIndex: 4, attempts: 3, path: broken.path });
    expect((error as ChunkLoadError).message).toMatch(/failed after 3 attempts: .*synthetic failure #3/);
    expect(attemptsMade(broken.path)).toBe(3);
    const failed = events.filter((e) => e.type === 'stem.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ song: 'song1', stem: 'broken', chunkIndex: 4, error });
    expect(l.counters()).toMatchObject({ failures: 1, retries: 2 });
    // the stem is not poisoned: other requests still run (the engine decides what to do)
    const ok = await openStem(l, 'ok');
    await expect(l.request(ok, 0, 'normal')).resolves.toMatchObject({ chunkIndex: 0 });
  });

  it('stop() rejects running and queued requests with LoaderStoppedError and refuses new ones', async () => {
    const l = startInline();
    const { loaded } = collect(l);
    const bass = await openStem(l, 'bass', { ...SPEC, decodeDelayMs: 10 });
    const pending = [0, 1, 2, 3].map((i) => l.request(bass, i, 'normal').catch((e: unknown) => e));
    await Promise.resolve();
    await l.stop();
    for (const outcome of await Promise.all(pending)) {
      expect(outcome).toBeInstanceOf(LoaderStoppedError);
      expect(outcome).toBeInstanceOf(CancelledError);
      expect((outcome as Error).message).toMatch(/stopped/);
    }
    await expect(l.request(bass, 0, 'urgent')).rejects.toBeInstanceOf(LoaderStoppedError);
    await expect(l.openStem({ song: 'x', stem: 'y', path: bass.path })).rejects.toBeInstanceOf(LoaderStoppedError);
    expect(loaded).toHaveLength(0);
    expect(l.pendingJobs).toBe(0);
  });

  it('closeSong cancels that song only and closes its decoders', async () => {
    const l = startInline();
    const a = await openStem(l, 'bass', SPEC, 'songA');
    const b = await openStem(l, 'bass', SPEC, 'songB');
    await l.request(a, 0, 'normal');
    const pendingA = l.request(a, 1, 'idle');
    const pendingB = l.request(b, 1, 'idle');
    const closesBefore = syntheticStats.closes;
    await l.closeSong('songA');
    await expect(pendingA).rejects.toMatchObject({ reason: 'song-closed' });
    await expect(pendingB).resolves.toMatchObject({ song: 'songB' });
    expect(syntheticStats.closes - closesBefore).toBe(1);
    await expect(l.request(a, 0, 'normal')).rejects.toBeInstanceOf(UnknownStemError);
  });

  it('does not write back a chunk whose song was closed while it decoded', async () => {
    // A pool whose decodes finish only when the test says so.
    const running: { task: DecodeTask; finish: () => void }[] = [];
    const gated: DecodePool = {
      size: 1,
      probe: async () => ({ sampleRate: 48_000, outputSampleRate: 48_000, channels: 1, bitDepth: 16, totalFrames: 96_000, chunkFrames: 48_000, totalChunks: 2, md5: '0'.repeat(32) }),
      decode: (task) =>
        new Promise((resolve) => {
          const pcm = { channelData: [new Float32Array(task.frameCount)], startFrame: task.startFrame, frameCount: task.frameCount, sampleRate: 48_000, errors: [], decodeMs: 1 };
          running.push({ task, finish: () => resolve(pcm) });
        }),
      releaseSong: async () => undefined,
      stop: async () => undefined,
    };
    const store = new MemoryChunkStore();
    const l = (loader = new ChunkLoader(gated, { cache: store }));
    const stem = await l.openStem({ song: 'song1', stem: 'bass', path: '/nowhere.flac' });
    const pending = l.request(stem, 0, 'normal').catch((e: unknown) => e);
    await until(() => running.length === 1);
    await l.closeSong('song1');
    running[0].finish();
    expect(await pending).toBeInstanceOf(CancelledError);
    await new Promise((r) => setTimeout(r, 10));
    expect(l.pendingJobs).toBe(0);
    expect(store.calls.writes).toBe(0);
    expect(running).toHaveLength(1); // no second decode for a write-back either
  });

  it('reuses one decoder per stem across requests (inline)', async () => {
    const l = startInline();
    const opensBefore = syntheticStats.opens;
    const bass = await openStem(l, 'bass');
    await Promise.all([0, 1, 2, 3, 4].map((i) => l.request(bass, i, 'normal')));
    expect(syntheticStats.opens - opensBefore).toBe(1);
  });
});

describe('ChunkLoader with a chunk store', () => {
  it('misses, decodes, writes the chunk back at idle priority, then hits', async () => {
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store, cacheChunks: 4 });
    const { events } = collect(l);
    const bass = await openStem(l, 'bass');
    const decoded = await Promise.all([0, 1, 2].map((i) => l.request(bass, i, 'normal')));
    expect(decoded.every((c) => c.from === 'decode')).toBe(true);
    await until(() => store.size === 3);

    // write-backs ran only after every normal request had been delivered
    const order = events.map((e) => e.type).filter((t) => t === 'request.completed' || t === 'cache.written');
    expect(order).toEqual(['request.completed', 'request.completed', 'request.completed', 'cache.written', 'cache.written', 'cache.written']);

    const again = await l.request(bass, 1, 'urgent');
    expect(again.from).toBe('cache');
    expectPcm(again, bass);
    expect(l.counters()).toMatchObject({ misses: 3, hits: 1, writeBacks: 3 });
  });

  it('only caches whole chunks inside the cached range', async () => {
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store, cacheChunks: 2 });
    const bass = await openStem(l, 'bass');
    await l.request(bass, { startFrame: 0, frameCount: 24_000 }, 'urgent'); // a slice: never cached
    await l.request(bass, 2, 'normal'); // beyond the cached range
    await l.request(bass, 1, 'normal');
    await until(() => l.pendingJobs === 0);
    expect(store.size).toBe(1);
    expect(store.has(bass, 1)).toBe(true);
    expect(store.calls.reads).toBe(2); // the slice (readRange) and chunk 1; not chunk 2, beyond the range
    expect(store.calls.writes).toBe(1);
  });

  it('serves slices of the cached range from a store that reads ranges, and decodes them otherwise', async () => {
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store, cacheChunks: 2 });
    const bass = await openStem(l, 'bass');
    const before = attemptsMade(bass.path);
    const miss = await l.request(bass, { startFrame: 0, frameCount: 24_000 }, 'urgent');
    expect(miss.from).toBe('decode');
    await l.request(bass, 0, 'normal');
    await until(() => store.size === 1);
    const hit = await l.request(bass, { startFrame: 1_000, frameCount: 24_000 }, 'urgent');
    expect(hit.from).toBe('cache');
    expectPcm(hit, bass);
    expect(attemptsMade(bass.path) - before).toBe(2); // the first slice and chunk 0; the hit decoded nothing
    expect(l.counters()).toMatchObject({ hits: 1, misses: 2 });

    // a store without readRange is never asked for slices
    const wholeOnly = new MemoryChunkStore();
    const plain: ChunkStore = { read: (s, i) => wholeOnly.read(s, i), write: (s, i, p) => wholeOnly.write(s, i, p) };
    const other = new ChunkLoader(new InlineDecodePool(syntheticDecoderFactory, { chunkSeconds: CHUNK_SECONDS }), { cache: plain });
    const keys = await other.openStem({ song: 'song1', stem: 'keys', path: await writeSyntheticStem(dir, 'keys', SPEC) });
    expect((await other.request(keys, { startFrame: 0, frameCount: 100 }, 'urgent')).from).toBe('decode');
    expect(wholeOnly.calls.reads).toBe(0);
    await other.stop();
  });

  it('with no write-back budget left, decodes the chunk again for the write; the data is the same', async () => {
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store, writeBackBudgetBytes: 0 });
    const bass = await openStem(l, 'bass');
    const before = attemptsMade(bass.path);
    await l.request(bass, 0, 'normal');
    await until(() => store.size === 1);
    expect(attemptsMade(bass.path) - before).toBe(2);
    const cached = await store.read(bass, 0);
    expectPcm(cached!, bass);
  });

  it('keeps the data it writes back even if the receiver transfers the delivered buffers away', async () => {
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store });
    const bass = await openStem(l, 'bass');
    const chunk = await l.request(bass, 0, 'normal');
    structuredClone(chunk.channelData, { transfer: chunk.channelData.map((c) => c.buffer as ArrayBuffer) });
    expect(chunk.channelData[0].length).toBe(0); // detached
    await until(() => store.size === 1);
    expectPcm((await store.read(bass, 0))!, bass);
  });

  it('treats a failing or malformed store read as a miss and a failing write as a warning', async () => {
    const warnings: string[] = [];
    const broken: ChunkStore = {
      read: (stem) => (stem.stem === 'bass' ? Promise.reject(new Error('disk on fire')) : Promise.resolve({ channelData: [new Float32Array(3)], startFrame: 0, frameCount: 3, sampleRate: 48_000, errors: [] } satisfies PcmBlock)),
      write: () => Promise.reject(new Error('ENOSPC')),
    };
    const l = startInline({ cache: broken, logger: { ...silentLogger, warn: (m) => warnings.push(m) } });
    const { events } = collect(l);
    const bass = await openStem(l, 'bass');
    const keys = await openStem(l, 'keys');
    expectPcm(await l.request(bass, 0, 'normal'), bass);
    expectPcm(await l.request(keys, 0, 'normal'), keys);
    await until(() => l.pendingJobs === 0);
    expect(l.counters()).toMatchObject({ hits: 0, misses: 2, writeBackFailures: 2 });
    expect(events.filter((e) => e.type === 'cache.write-failed')).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/Cache read failed.*bass[\s\S]*wrong shape[\s\S]*Cache write failed/);
  });

  it('logs cache HIT and MISS at info level with timings, request flow at debug', async () => {
    const lines: { level: string; message: string }[] = [];
    const log = (level: string) => (message: string) => lines.push({ level, message });
    const store = new MemoryChunkStore();
    const l = startInline({ cache: store, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } });
    const bass = await openStem(l, 'bass');
    await l.request(bass, 0, 'normal');
    await until(() => store.size === 1);
    await l.request(bass, 0, 'urgent');
    const info = lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(info[0]).toMatch(/^ChunkLoader: Cache MISS for song1\/bass chunk #0 \(checked in \d+ms\), decoding$/);
    expect(info[1]).toMatch(/^ChunkLoader: Cache HIT for song1\/bass chunk #0 \(loaded in \d+ms\)$/);
    const debug = lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toContain('ChunkLoader: Urgent request for song1/bass chunk #0 (frames 0+48000)');
    expect(debug.some((m) => /Loaded chunk #0 for song1\/bass \(from cache\)/.test(m))).toBe(true);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

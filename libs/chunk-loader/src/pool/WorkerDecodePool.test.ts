import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChunkLoader } from '../ChunkLoader.js';
import { ChunkLoadError, LoaderStoppedError, WorkerCrashedError } from '../errors.js';
import type { LoaderEvent } from '../metrics/LoaderEvent.js';
import { expectedSyntheticPcm, syntheticDecoderFactory, workerOpens, writeSyntheticStem } from '../testing/syntheticStem.fixture.js';
import type { SyntheticStemSpec } from '../testing/syntheticStem.fixture.js';
import type { LoadedChunk, StemInfo } from '../types.js';
import { InlineDecodePool } from './InlineDecodePool.js';
import { WorkerDecodePool } from './WorkerDecodePool.js';
import { workerScriptAt } from './workerScript.js';

const SPEC: SyntheticStemSpec = { sampleRate: 48_000, channels: 2, bitDepth: 24, totalFrames: 240_000 };
const syntheticWorker = workerScriptAt(new URL('../testing/syntheticDecodeWorker.fixture.ts', import.meta.url));

let dir: string;
let pool: WorkerDecodePool | undefined;
let loader: ChunkLoader | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chunk-loader-workers-'));
});

afterEach(async () => {
  await loader?.stop();
  await pool?.stop();
  loader = undefined;
  pool = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function startLoader(workers: number, tasksPerWorker?: number): Promise<ChunkLoader> {
  pool = await WorkerDecodePool.start({ workers, ...(tasksPerWorker ? { tasksPerWorker } : {}), decoderOptions: { chunkSeconds: 1 }, probeFactory: syntheticDecoderFactory, script: syntheticWorker });
  loader = new ChunkLoader(pool, { retry: { baseDelayMs: 1 } });
  return loader;
}

async function openStem(l: ChunkLoader, name: string, spec: SyntheticStemSpec = SPEC): Promise<StemInfo> {
  return l.openStem({ song: 'song1', stem: name, path: await writeSyntheticStem(dir, name, spec) });
}

function expectPcm(chunk: LoadedChunk, stem: StemInfo, spec: SyntheticStemSpec = SPEC): void {
  const expected = expectedSyntheticPcm(stem.path, spec, chunk.startFrame, chunk.frameCount);
  chunk.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer).equals(Buffer.from(expected[c].buffer))).toBe(true));
}

describe('WorkerDecodePool', () => {
  it('decodes in worker threads, bit-exact, reusing one decoder per stem per worker', async () => {
    const l = await startLoader(1);
    const bass = await openStem(l, 'bass');
    const chunks = await Promise.all([0, 1, 2, 3, 4].map((i) => l.request(bass, i, 'normal')));
    chunks.forEach((chunk) => expectPcm(chunk, bass));
    const slice = await l.request(bass, { startFrame: 100_000, frameCount: 1_000 }, 'urgent');
    expectPcm(slice, bass);
    expect(workerOpens(bass.path)).toBe(1);
    // each channel arrives as a whole buffer of its own (moved out of the worker, not a view into a shared one)
    expect(slice.channelData[0].buffer.byteLength).toBe(1_000 * 4);
  });

  it('openStem opens the stem in every worker, and throws the decoder\'s own error for a broken file', async () => {
    const l = await startLoader(2);
    const bass = await openStem(l, 'bass');
    await new Promise((r) => setTimeout(r, 20)); // the slower worker's open may still be on its way
    expect(workerOpens(bass.path)).toBe(2);
    const garbage = path.join(dir, 'garbage.synthetic.json');
    await writeFile(garbage, 'not json');
    await expect(l.openStem({ song: 'song1', stem: 'garbage', path: garbage })).rejects.toBeInstanceOf(SyntaxError);
  });

  it('runs as many decodes at once as it has workers (a worker decodes its tasks one after another)', async () => {
    const l = await startLoader(2);
    // decodes that block their thread for 80 ms each (without using CPU, so two cores are not needed)
    const stems = await Promise.all(['a', 'b', 'c', 'd'].map((n) => openStem(l, n, { ...SPEC, decodeDelayMs: 80 })));
    const started = performance.now();
    await Promise.all(stems.map((s) => l.request(s, 0, 'normal')));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(160);
    expect(elapsed).toBeLessThan(300); // 4 × 80 ms in sequence would be ≥ 320 ms
  });

  it('with an urgent helper, urgent work runs on the calling thread while the worker is busy; other work waits', async () => {
    pool = await WorkerDecodePool.start({ workers: 1, decoderOptions: { chunkSeconds: 1 }, probeFactory: syntheticDecoderFactory, script: syntheticWorker });
    loader = new ChunkLoader(pool, { urgentHelper: new InlineDecodePool(syntheticDecoderFactory, { chunkSeconds: 1 }) });
    const slow = await openStem(loader, 'slow', { ...SPEC, decodeDelayMs: 150 });
    const fast = await openStem(loader, 'fast');
    const busy = loader.request(slow, 0, 'normal'); // occupies the only worker for 150 ms
    const waiting = loader.request(fast, 1, 'normal');
    const urgent = await loader.request(fast, { startFrame: 1_000, frameCount: 2_000 }, 'urgent');
    expectPcm(urgent, fast);
    expect(urgent.timing.queuedMs + urgent.timing.loadMs).toBeLessThan(100);
    const [busyChunk, waitingChunk] = await Promise.all([busy, waiting]);
    // normal work never goes to the helper: it waited for the worker (inside the worker, with 2 tasks per worker)
    expect(waitingChunk.timing.queuedMs + waitingChunk.timing.loadMs).toBeGreaterThan(100);
    expectPcm(busyChunk, slow, { ...SPEC, decodeDelayMs: 150 });
  });

  it('replaces a crashed worker and retries its work once', async () => {
    const l = await startLoader(1);
    const events: LoaderEvent[] = [];
    l.metrics$.subscribe((e) => events.push(e));
    const idsBefore = pool!.workerIds;
    const stem = await openStem(l, 'crashes-once', { ...SPEC, crashFirst: 1 });
    const chunk = await l.request(stem, 2, 'urgent');
    expectPcm(chunk, stem);
    expect(pool!.workerIds).not.toEqual(idsBefore);
    expect(l.counters()).toMatchObject({ workerCrashes: 1, retries: 1, failures: 0 });
    expect(events.find((e) => e.type === 'worker.crashed')).toMatchObject({ workerId: idsBefore[0], detail: 'exited with code 70' });
    // the replacement keeps serving other stems
    const other = await openStem(l, 'other');
    expectPcm(await l.request(other, 0, 'normal'), other);
  });

  it('retries every task a crashed worker held (2 per worker), counting the crash once', async () => {
    const l = await startLoader(1, 2);
    const crashing = await openStem(l, 'crashes-once', { ...SPEC, crashFirst: 1, decodeDelayMs: 0 });
    const bystander = await openStem(l, 'bystander', { ...SPEC, decodeDelayMs: 50 });
    // both go to the one worker at once: the first kills it while the second waits inside it
    const [a, b] = await Promise.all([l.request(crashing, 1, 'normal'), l.request(bystander, 1, 'normal')]);
    expectPcm(a, crashing);
    expectPcm(b, bystander, { ...SPEC, decodeDelayMs: 50 });
    expect(l.counters()).toMatchObject({ workerCrashes: 1, retries: 2, failures: 0 });
  });

  it('gives up on work that crashes its worker twice', async () => {
    const l = await startLoader(1);
    const stem = await openStem(l, 'crashes-always', { ...SPEC, crashFirst: 1000 });
    const error = await l.request(stem, 0, 'normal').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkLoadError);
    expect((error as ChunkLoadError).cause).toBeInstanceOf(WorkerCrashedError);
    expect(l.counters()).toMatchObject({ workerCrashes: 2, failures: 1 });
  });

  it('stop() terminates the workers and rejects pending requests', async () => {
    const l = await startLoader(1);
    const slow = await openStem(l, 'slow', { ...SPEC, decodeDelayMs: 200 });
    const pending = [0, 1, 2].map((i) => l.request(slow, i, 'normal').catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 20)); // chunk 0 is decoding in the worker
    const started = performance.now();
    await l.stop();
    expect(performance.now() - started).toBeLessThan(150); // did not wait for the 200 ms decode
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(LoaderStoppedError);
  });

  it('fails start() with a clear error when workers cannot start', async () => {
    const entry = path.join(dir, 'broken-worker.mjs');
    await writeFile(entry, "throw new Error('missing module');\n");
    const started = WorkerDecodePool.start({ workers: 1, decoderOptions: {}, probeFactory: syntheticDecoderFactory, script: workerScriptAt(pathToFileURL(entry)) });
    await expect(started).rejects.toThrow(/decode worker #\d+ crashed: Error: missing module before it was ready/);
  });
});

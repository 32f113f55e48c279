import { describe, expect, it } from '@jest/globals';
import { RemoteDecodeError, WorkerCrashedError } from '../errors.js';
import type { DecodeTask } from '../ports/DecodePool.js';
import { ThreadDecodePool, type DecodeThreadEvents, type SpawnDecodeThread, type ThreadDecodePoolOptions } from './ThreadDecodePool.js';
import type { ToWorker } from './workerProtocol.js';

// The pool's bookkeeping with fake threads that answer by hand: dispatch limits, crash
// replacement, giving up on threads that never start, stop. (Real threads: WebWorkerDecodePool's
// Chromium tests.)
interface FakeThread {
  readonly workerId: number;
  readonly received: ToWorker[];
  readonly events: DecodeThreadEvents;
  terminated: boolean;
}

class FakePool extends ThreadDecodePool {
  static async start(options: ThreadDecodePoolOptions, spawn: SpawnDecodeThread): Promise<FakePool> {
    return new FakePool(options, spawn).whenReady();
  }
}

function fakeThreads(behaviour: { ready?: (workerId: number) => boolean } = {}) {
  const threads: FakeThread[] = [];
  const spawn: SpawnDecodeThread = (config, events) => {
    const thread: FakeThread = { workerId: config.workerId, received: [], events, terminated: false };
    threads.push(thread);
    if (behaviour.ready?.(config.workerId) ?? true) queueMicrotask(() => events.message({ type: 'ready' }));
    else queueMicrotask(() => events.died('its script failed to load or run'));
    return { post: (message) => thread.received.push(message), terminate: async () => void (thread.terminated = true) };
  };
  return { threads, spawn };
}

const task = (chunkIndex: number): DecodeTask => ({ stem: { song: 's', stem: 'a', path: 'https://x/a.flac' }, chunkIndex, startFrame: chunkIndex * 10, frameCount: 10, wholeChunk: true });
const decodes = (thread: FakeThread) => thread.received.filter((m): m is Extract<ToWorker, { type: 'decode' }> => m.type === 'decode');
const answer = (thread: FakeThread, id: number) =>
  thread.events.message({ type: 'decoded', id, pcm: { channelData: [new Float32Array(10)], startFrame: 0, frameCount: 10, sampleRate: 48_000, errors: [] }, decodeMs: 1 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ThreadDecodePool', () => {
  it('hands each thread at most tasksPerWorker tasks, the least busy first, and the rest as they finish', async () => {
    const { threads, spawn } = fakeThreads();
    const pool = await FakePool.start({ workers: 2, tasksPerWorker: 2, decoderOptions: {} }, spawn);
    expect(pool.size).toBe(4);
    const results = [0, 1, 2, 3, 4].map((k) => pool.decode(task(k)));
    expect(threads.map((t) => decodes(t).map((m) => m.task.chunkIndex))).toEqual([
      [0, 2],
      [1, 3],
    ]);
    answer(threads[1], decodes(threads[1])[0].id);
    expect(decodes(threads[1]).map((m) => m.task.chunkIndex)).toEqual([1, 3, 4]);
    await expect(results[1]).resolves.toMatchObject({ frameCount: 10, decodeMs: 1 });
    await pool.stop();
    const settled = await Promise.allSettled(results);
    expect(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'decoded'))).toEqual([
      'decode pool stopped',
      'decoded',
      'decode pool stopped',
      'decode pool stopped',
      'decode pool stopped',
    ]);
    expect(threads.every((t) => t.terminated)).toBe(true);
  });

  it('replaces a thread that dies, rejects its tasks with WorkerCrashedError, and keeps serving', async () => {
    const { threads, spawn } = fakeThreads();
    const pool = await FakePool.start({ workers: 1, decoderOptions: {} }, spawn);
    const [a, b] = [pool.decode(task(0)), pool.decode(task(1))];
    threads[0].events.died('uncaught error: boom');
    threads[0].events.died('reported twice'); // counted once
    await expect(a).rejects.toEqual(new WorkerCrashedError(0, 'uncaught error: boom'));
    await expect(b).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(threads[0].terminated).toBe(true);
    await tick();
    expect(pool.workerIds).toEqual([1]);
    const c = pool.decode(task(2));
    answer(threads[1], decodes(threads[1])[0].id);
    await expect(c).resolves.toMatchObject({ frameCount: 10 });
    await pool.stop();
  });

  it('gives up after three replacements in a row die before they are ready', async () => {
    const { threads, spawn } = fakeThreads({ ready: (id) => id === 0 });
    const pool = await FakePool.start({ workers: 1, decoderOptions: {} }, spawn);
    threads[0].events.died('out of memory');
    for (let i = 0; i < 5; i++) await tick();
    expect(threads).toHaveLength(4); // the first and three replacements
    await expect(pool.decode(task(0))).rejects.toThrow(/decode workers fail to start \(its script failed to load or run\)/);
    await pool.stop();
  });

  it('does not start when a first thread dies before it is ready', async () => {
    const { spawn } = fakeThreads({ ready: () => false });
    await expect(FakePool.start({ workers: 2, decoderOptions: {} }, spawn)).rejects.toThrow(/decode worker #0 crashed: its script failed to load or run before it was ready/);
  });

  it('probes in every thread; without a probe factory a refusal arrives as the remote error', async () => {
    const { threads, spawn } = fakeThreads();
    const pool = await FakePool.start({ workers: 2, decoderOptions: {} }, spawn);
    const probe = pool.probe({ song: 's', stem: 'a', path: 'https://x/missing.flac' });
    for (const thread of threads) {
      const open = thread.received.find((m) => m.type === 'open')!;
      thread.events.message({ type: 'failed', id: open.id, error: { name: 'HttpStatusError', message: 'https://x/missing.flac: the server answered 404', context: { status: 404 } } });
    }
    const error = await probe.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteDecodeError);
    expect(error).toMatchObject({ remoteName: 'HttpStatusError', context: { status: 404 } });
    await pool.stop();
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { chromiumAvailable } from '@trax/browser-testing';
import type { DecodeTask } from '../ports/DecodePool.js';
import { syntheticWebSample } from '../testing/syntheticWebSample.fixture.js';
import { SCRIPTS, startWebPoolHarness, type WebPoolHarness } from '../testing/webPoolHarness.fixture.js';
import type { TraxPage } from '../testing/webPoolPage.fixture.js';

// WebWorkerDecodePool in Chromium, with a synthetic decode worker (see webSyntheticWorker.fixture.ts)
// behind the real worker service and protocol: crash replacement, transfer, start failure, stop.
const describeBrowser = chromiumAvailable('chunk-loader Web Worker pool') ? describe : describe.skip;

const task = (path: string, chunkIndex: number): DecodeTask => ({ stem: { song: 's', stem: path, path }, chunkIndex, startFrame: chunkIndex * 4_800, frameCount: 4_800, wholeChunk: true });

describeBrowser('WebWorkerDecodePool (Chromium)', () => {
  let harness: WebPoolHarness;
  beforeAll(async () => {
    harness = await startWebPoolHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  afterEach(async () => {
    await harness.page.evaluate(() => (globalThis as TraxPage).trax.stop());
  });

  const start = (workers: number, script: string = SCRIPTS.syntheticWorker) =>
    harness.page.evaluate(([s, w]) => (globalThis as TraxPage).trax.start(s, w, 0.1), [script, workers] as const);
  const decode = (t: DecodeTask) => harness.page.evaluate((x) => (globalThis as TraxPage).trax.decode(x), t);
  const workerIds = () => harness.page.evaluate(() => (globalThis as TraxPage).trax.workerIds());

  it('decodes in Web Workers; PCM arrives whole and is moved out of the worker (transferred, not copied)', async () => {
    expect(await start(2)).toBeUndefined();
    const first = await decode(task('a', 3));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.outcome.frameCount).toBe(4_800);
    first.outcome.channelData.forEach((channel, c) => channel.forEach((x, i) => x !== syntheticWebSample(c, 3 * 4_800 + i) && expect([c, i, x]).toBeUndefined()));
    // Both workers may hold the stem: decode until one reports on a previous decode of its own.
    let detached: number | undefined;
    for (let k = 0; k < 6 && detached === undefined; k++) {
      const next = await decode(task('a', k));
      if (next.ok && next.outcome.errors[0].frame > 0) detached = next.outcome.errors[0].frame;
    }
    expect(detached).toBe(2); // both channel buffers of that worker's previous decode are gone from it
  });

  it('replaces a worker that throws (error event) and rejects its task with WorkerCrashedError; the replacement decodes it', async () => {
    expect(await start(1)).toBeUndefined();
    expect(await workerIds()).toEqual([0]);
    const crashed = await decode(task('crash:x', 0));
    expect(crashed).toMatchObject({ ok: false, error: { name: 'WorkerCrashedError', workerId: 0 } });
    if (crashed.ok) return;
    expect(crashed.error.message).toMatch(/uncaught error: .*synthetic crash decoding crash:x/);
    expect(await workerIds()).toEqual([1]);
    // What the loader does next (its one retry) succeeds on the replacement.
    const retried = await decode(task('crash:x', 0));
    expect(retried.ok && retried.outcome.channelData[1][10]).toBe(syntheticWebSample(1, 10));
  });

  it('fails to start, naming the cause, when the worker script does not load', async () => {
    const error = await start(1, '/no-such-worker.js');
    expect(error).toMatchObject({ name: 'WorkerCrashedError' });
    expect(error?.message).toMatch(/before it was ready/);
  });

  it('stop() rejects running tasks and ends the workers', async () => {
    expect(await start(1)).toBeUndefined();
    const running = decode(task('slow:y', 0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.page.evaluate(() => (globalThis as TraxPage).trax.stop());
    expect(await running).toMatchObject({ ok: false, error: { message: 'decode pool stopped' } });
  });
});

import { describe, expect, it } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { SpscRing } from './SpscRing.js';
import { StatusBlock } from './StatusBlock.js';

const tsWorker = (file: string, workerData: unknown) =>
  new Worker(new URL(file, import.meta.url), {
    workerData,
    execArgv: ['--import', new URL('../node/registerTsx.mjs', import.meta.url).href, '--conditions=@trax/source'],
  });

describe('SpscRing', () => {
  it('hands records over in order across many wrap-arounds, holding capacity − 1 at most', () => {
    const ring = SpscRing.create(4, 2, false);
    const reader = new SpscRing(ring.buffer, 2);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 25; round++) {
      // Fill until full: 3 records fit in a ring of 4.
      for (let at = ring.claim(); at >= 0; at = ring.claim()) {
        ring.data[at] = written;
        ring.data[at + 1] = -written;
        ring.publish();
        written++;
      }
      expect(ring.size).toBe(3);
      // Take two, leaving one behind, so the indices wrap at a different place each round.
      for (let k = 0; k < 2; k++) {
        const at = reader.peek();
        expect([reader.data[at], reader.data[at + 1]]).toEqual([read, -read]);
        reader.consume();
        read++;
      }
    }
    expect(ring.dropped).toBe(25); // one refused claim per round, counted, nothing overwritten
    expect(written - read).toBe(1);
  });

  it('is empty when nothing was published', () => {
    const ring = SpscRing.create(8, 1, false);
    expect(ring.peek()).toBe(-1);
    ring.claim(); // claimed but not published: still invisible
    expect(ring.peek()).toBe(-1);
  });

  it('loses and duplicates nothing between a producer thread and a consumer thread', async () => {
    const ring = SpscRing.create(64, 2, true);
    const count = 200_000;
    const worker = tsWorker('./spscProducer.fixture.ts', { buffer: ring.buffer, count });
    const done = new Promise((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    let expected = 0;
    const deadline = Date.now() + 60_000;
    while (expected < count && Date.now() < deadline) {
      const at = ring.peek();
      if (at < 0) continue;
      // Each record is (k, k × 3): a torn or reordered record shows at once.
      if (ring.data[at] !== expected || ring.data[at + 1] !== expected * 3) throw new Error(`record ${expected}: got (${ring.data[at]}, ${ring.data[at + 1]})`);
      ring.consume();
      expected++;
    }
    await done;
    expect(expected).toBe(count);
    expect(ring.peek()).toBe(-1);
  }, 90_000);
});

describe('StatusBlock', () => {
  it('gives a reader consistent snapshots while another thread writes', async () => {
    const block = StatusBlock.create(16, true);
    const worker = tsWorker('./statusWriter.fixture.ts', { buffer: block.buffer, writes: 300_000 });
    const done = new Promise((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    const into = new Float64Array(16);
    let snapshots = 0;
    let exited = false;
    void done.then(() => (exited = true));
    while (!exited) {
      // A burst of snapshots, then a turn of the event loop (to hear that the writer exited).
      for (let n = 0; n < 2000; n++) {
        block.snapshot(into);
        // The writer sets all 16 values to k in one write: a torn snapshot would mix two ks.
        for (let i = 1; i < 16; i++) if (into[i] !== into[0]) throw new Error(`torn snapshot: ${Array.from(into).join(',')}`);
        snapshots++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(snapshots).toBeGreaterThan(1000);
    expect(block.snapshot(into)[0]).toBe(300_000);
  }, 90_000);
});

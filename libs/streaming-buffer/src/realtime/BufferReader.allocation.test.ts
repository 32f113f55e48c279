import { describe, expect, it } from '@jest/globals';
import { PerformanceObserver } from 'node:perf_hooks';
import { collectGarbage } from '../gc.fixture.js';
import { StreamingBuffer } from '../StreamingBuffer.js';
import { outputs, sourceChunk, wholeChunk } from '../syntheticSource.fixture.js';

// What this proves, and what not: after warm-up (the audio thread runs optimised code within
// milliseconds), 100 000 reads of 128 frames — across chunk boundaries, into partial chunks and
// into holes — leave the JS heap where it was and trigger no garbage collection. One object per
// read (≥ 16 bytes) would show as ≥ 1.6 MB of growth or as a scavenge; the positive control below
// shows the method catches exactly that. It does not prove that the very first, interpreted calls
// allocate nothing (V8's interpreter may box floats) — warm the reader up before real time.

const CHUNK = 4800;
const READS = 100_000;

async function measure(run: () => void): Promise<{ heapGrowth: number; collections: number }> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  run();
  const heapGrowth = process.memoryUsage().heapUsed - before;
  await new Promise((resolve) => setTimeout(resolve, 20)); // gc entries are delivered asynchronously
  observer.disconnect();
  return { heapGrowth, collections };
}

function fixture(): { read: (position: number) => number; out: Float32Array[] } {
  const buffer = new StreamingBuffer({ channels: 2, sampleRate: 48_000, chunkFrames: CHUNK, bufferChunks: 4 });
  buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
  buffer.pushChunk(sourceChunk(CHUNK, CHUNK, 2000, 2)); // chunk 1 partial, then a hole
  buffer.pushChunk(wholeChunk(CHUNK, 3, 2));
  const out = outputs(2, 256);
  return { read: (position) => buffer.read(position, 128, out, 64), out };
}

describe('BufferReader.read allocation', () => {
  it('allocates nothing per read once warm: no heap growth, no garbage collection over 100 000 reads', async () => {
    const { read } = fixture();
    const span = 4 * CHUNK;
    let position = -64;
    let missing = 0;
    const loop = (count: number) => {
      for (let i = 0; i < count; i++) {
        missing += read(position);
        position = position + 131 >= span ? -64 : position + 131; // 131: a stride that lands on every boundary offset
      }
    };
    loop(20_000); // warm-up: let V8 optimise the read path
    // Up to 3 attempts: an allocating read path fails every attempt, while a collection or
    // allocation by something else in the test process (Jest's own work) is occasional.
    const results = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await measure(() => loop(READS));
      results.push(result);
      if (result.collections === 0 && result.heapGrowth < READS) break; // < 1 byte per read on average
    }
    expect(missing).toBeGreaterThan(0); // the reads did cross holes, not only full chunks
    expect(results.at(-1)).toEqual({ heapGrowth: expect.any(Number), collections: 0 });
    expect(results.at(-1)!.heapGrowth).toBeLessThan(READS);
  });

  it('positive control: the same measurement catches one small array allocated per read', async () => {
    const { read } = fixture();
    const kept: number[][] = [];
    let position = 0;
    const loop = (count: number) => {
      for (let i = 0; i < count; i++) {
        const pair = [read(position), position]; // one small array per call, kept alive for a while
        if (i % 1000 === 0) kept.length = 0;
        kept.push(pair);
        position = (position + 131) % (4 * CHUNK);
      }
    };
    loop(20_000);
    const result = await measure(() => loop(READS));
    expect(result.collections > 0 || result.heapGrowth >= READS).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { WriterData } from '../testing/concurrentWriter.fixture.js';
import { sourceSample } from '../syntheticSource.fixture.js';
import { BufferReader } from './BufferReader.js';

// The SharedArrayBuffer design under real concurrency: a worker thread is the control side
// (pushes, evictions, disjoint replacements, seeks, clears, as fast as it can) while this thread
// reads the same storage in a tight loop, as an AudioWorklet would. Every frame read must be the
// source's or silence, and the missing count must equal the silence written. Small chunks and two
// slots make the writer refill slots under the reader constantly. The positive control runs the
// same checker against a writer that overwrites a slot in place without the seqlock: it must see
// torn data, which shows the two threads did overlap. Probabilistic by nature: a pass means no
// torn sample in thousands of concurrent reads, not a proof. The reader runs until both threads
// did enough work (not for a fixed time), so a loaded machine makes it slower, not weaker.

const CHUNK = 256;
const CHANNELS = 2;
const SPAN_CHUNKS = 6;
/** Reads and writer operations each side must reach (an idle machine does ~50,000 in 0.7 s). */
const MIN_WORK = 5_000;
/** Give up (and fail the floors) after this long: a machine that slow cannot show overlap. */
const MAX_READ_MS = 30_000;

interface ReadTally {
  reads: number;
  realFrames: number;
  missingFrames: number;
  wrongFrames: number;
  miscounted: number;
}

async function runAgainstWriter(mode: WriterData['mode']): Promise<{ tally: ReadTally; operations: number }> {
  const stop = new Int32Array(new SharedArrayBuffer(8));
  const data: WriterData = { mode, channels: CHANNELS, chunkFrames: CHUNK, bufferChunks: 2, spanChunks: SPAN_CHUNKS, stop };
  const worker = new Worker(new URL('../testing/concurrentWriter.fixture.ts', import.meta.url), {
    workerData: data,
    execArgv: ['--import', new URL('../testing/registerTsx.mjs', import.meta.url).href],
  });
  try {
    const [ready] = (await once(worker, 'message')) as [{ storage: SharedArrayBuffer }];
    const finished = once(worker, 'message');
    const reader = BufferReader.fromBuffer(ready.storage);
    const tally = readUntil(reader, () => Atomics.load(stop, 1) >= MIN_WORK, performance.now() + MAX_READ_MS);
    Atomics.store(stop, 0, 1);
    const [{ operations }] = (await finished) as [{ operations: number }];
    return { tally, operations };
  } finally {
    await worker.terminate();
  }
}

function readUntil(reader: BufferReader, writerDone: () => boolean, deadline: number): ReadTally {
  const tally: ReadTally = { reads: 0, realFrames: 0, missingFrames: 0, wrongFrames: 0, miscounted: 0 };
  const out = [new Float32Array(2 * CHUNK), new Float32Array(2 * CHUNK)];
  let seed = 12345;
  while ((tally.reads < MIN_WORK || !writerDone()) && performance.now() < deadline) {
    for (let batch = 0; batch < 64; batch++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const position = seed % (SPAN_CHUNKS * CHUNK);
      const frames = 1 + ((seed >>> 16) % (2 * CHUNK));
      const missing = reader.read(position, frames, out, 0);
      let silent = 0;
      for (let i = 0; i < frames; i++) {
        const left = out[0][i];
        if (left === 0 && out[1][i] === 0) silent++;
        else if (left === sourceSample(position + i, 0) && out[1][i] === sourceSample(position + i, 1)) tally.realFrames++;
        else tally.wrongFrames++;
      }
      if (silent !== missing) tally.miscounted++;
      tally.missingFrames += silent;
      tally.reads++;
    }
  }
  return tally;
}

describe('BufferReader against a concurrent writer thread', () => {
  it('never returns a torn or misplaced sample while another thread refills the slots', async () => {
    const { tally, operations } = await runAgainstWriter('safe');
    expect(tally.wrongFrames).toBe(0);
    expect(tally.miscounted).toBe(0);
    // Both states were exercised many times over: data present and data missing.
    expect(tally.reads).toBeGreaterThanOrEqual(MIN_WORK);
    expect(operations).toBeGreaterThanOrEqual(MIN_WORK);
    expect(tally.realFrames).toBeGreaterThan(20_000);
    expect(tally.missingFrames).toBeGreaterThan(20_000);
  }, 60_000);

  it('positive control: the same checker sees torn data from a writer that bypasses the seqlock', async () => {
    const { tally, operations } = await runAgainstWriter('unsafe');
    expect(operations).toBeGreaterThan(100);
    expect(tally.wrongFrames).toBeGreaterThan(0);
  }, 60_000);
});

import { describe, expect, it } from '@jest/globals';
import { collectGarbage } from './gc.fixture.js';
import { StreamingBuffer } from './StreamingBuffer.js';
import { outputs, sourceSample, wholeChunk } from './syntheticSource.fixture.js';

// 0.1 s chunks at 48 kHz: small enough to push thousands quickly, the same code path as 5 s ones.
const CHUNK = 4800;
const CHANNELS = 2;
const CAPACITY_BYTES = 4 * CHANNELS * CHUNK * 4; // 4 slots × 2 channels × 4800 frames × 4 bytes = 153 600

function pushChunks(buffer: StreamingBuffer, count: number): Array<WeakRef<Float32Array>> {
  const pushed: Array<WeakRef<Float32Array>> = [];
  for (let index = 0; index < count; index++) {
    buffer.advanceTo(index * CHUNK);
    const chunk = wholeChunk(CHUNK, index, CHANNELS);
    buffer.pushChunk(chunk);
    pushed.push(new WeakRef(chunk.channelData[0]));
  }
  return pushed;
}

describe('StreamingBuffer memory bound', () => {
  it('holds at most bufferChunks chunks and capacityBytes through 5 000 pushes, in order, out of order and after seeks', () => {
    const buffer = new StreamingBuffer({ channels: CHANNELS, sampleRate: 48_000, chunkFrames: CHUNK });
    let maxChunks = 0;
    let maxBytes = 0;
    const out = outputs(CHANNELS, 128);
    for (let step = 0; step < 5000; step++) {
      const playing = step >> 1;
      buffer.advanceTo(playing * CHUNK);
      if (step % 500 === 499) buffer.seekToChunk(playing + 3);
      // Mostly the next wanted chunk, sometimes a chunk far ahead or already played.
      const index = step % 7 === 0 ? playing + 9 : step % 11 === 0 ? Math.max(0, playing - 2) : (buffer.wantedChunks(buffer.playPosition)[0] ?? playing);
      buffer.pushChunk(wholeChunk(CHUNK, index, CHANNELS));
      buffer.read(buffer.playPosition, 128, out, 0);
      const stats = buffer.stats();
      maxChunks = Math.max(maxChunks, stats.chunks);
      maxBytes = Math.max(maxBytes, stats.bytes);
      expect(stats.storageBytes).toBe(buffer.storageBuffer.byteLength);
    }
    expect(maxChunks).toBe(4); // the bound was reached, never passed
    expect(maxBytes).toBe(CAPACITY_BYTES);
    expect(buffer.stats().capacityBytes).toBe(CAPACITY_BYTES);
    // Still playing correctly at the end: the current chunk is there and sample-exact.
    const position = buffer.playPosition;
    expect(buffer.read(position, 128, out, 0)).toBe(0);
    expect(out[1][5]).toBe(sourceSample(position + 5, 1));
  });

  it('keeps no reference to pushed arrays: every pushed chunk is garbage-collected', async () => {
    const buffer = new StreamingBuffer({ channels: CHANNELS, sampleRate: 48_000, chunkFrames: CHUNK });
    // Pushed from a separate function so that no local of this async test still points at a chunk.
    const pushed = pushChunks(buffer, 200);
    // WeakRef targets survive until the end of the current job: let it end before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(pushed.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(buffer.stats().chunks).toBe(1);
  });

  it('does not grow ArrayBuffer memory with the number of pushes (external bytes stay within one storage)', async () => {
    const buffer = new StreamingBuffer({ channels: CHANNELS, sampleRate: 48_000, chunkFrames: CHUNK });
    const chunks = Array.from({ length: 8 }, (_, i) => wholeChunk(CHUNK, i, CHANNELS));
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    for (let round = 0; round < 2000; round++) {
      buffer.seekToChunk(round % 2 === 0 ? 0 : 4);
      for (let i = 0; i < 4; i++) buffer.pushChunk(chunks[(round % 2) * 4 + i]);
    }
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const grown = process.memoryUsage().arrayBuffers - before;
    // 8 000 pushes of 76 800-byte chunks (614 MB in total); 1 MB of slack for whatever else the
    // test process allocates meanwhile (retaining references is caught by the WeakRef test above).
    expect(grown).toBeLessThan(1_000_000);
  });
});

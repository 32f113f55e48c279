// Worker entry for BufferReader.threads.test.ts: the control side of a shared StreamingBuffer,
// pushing, evicting, seeking and clearing as fast as it can until the main thread says stop, while
// the main thread reads the same SharedArrayBuffer. Mode 'unsafe' is the test's positive control:
// it overwrites a held slot's samples in place, bypassing the seqlock, to show that the reader
// really runs concurrently with the writer and that the checker sees torn data when it exists.
import { parentPort, workerData } from 'node:worker_threads';
import { StreamingBuffer } from '../StreamingBuffer.js';
import { openBufferStorage, SLOT_CHUNK_INDEX } from '../storage/BufferStorage.js';
import { sourceChunk, wholeChunk } from '../syntheticSource.fixture.js';

export interface WriterData {
  readonly mode: 'safe' | 'unsafe';
  readonly channels: number;
  readonly chunkFrames: number;
  readonly bufferChunks: number;
  /** Chunk indices used: 0 .. spanChunks − 1. */
  readonly spanChunks: number;
  /** Int32Array over a SharedArrayBuffer; cell 0 becomes 1 when the writer must stop; the writer counts its operations in cell 1. */
  readonly stop: Int32Array;
}

const data = workerData as WriterData;
const port = parentPort;
if (!port) throw new Error('concurrentWriter.fixture.ts must run in a worker thread');

const buffer = new StreamingBuffer({
  channels: data.channels,
  sampleRate: 48_000,
  chunkFrames: data.chunkFrames,
  bufferChunks: data.bufferChunks,
  shared: true,
});
const chunks = Array.from({ length: data.spanChunks }, (_, i) => wholeChunk(data.chunkFrames, i, data.channels));
port.postMessage({ storage: buffer.storageBuffer });

let seed = 0x2545f491;
function random(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

let operations = 0;
if (data.mode === 'safe') {
  while (Atomics.load(data.stop, 0) === 0) {
    const roll = random(100);
    const index = random(data.spanChunks);
    if (roll < 55) buffer.pushChunk(chunks[index]);
    else if (roll < 80) {
      const start = index * data.chunkFrames + random(data.chunkFrames);
      const count = 1 + random(data.chunkFrames);
      buffer.pushChunk(sourceChunk(data.chunkFrames, start, count, data.channels));
    } else if (roll < 90) buffer.seekToChunk(index);
    else if (roll < 95) buffer.advanceTo(random(data.spanChunks * data.chunkFrames));
    else buffer.clear();
    operations++;
    Atomics.store(data.stop, 1, operations);
  }
} else {
  // Hold chunk 0 in slot 0 and keep overwriting its samples with chunk 1's, then back, in place.
  buffer.pushChunk(chunks[0]);
  const storage = openBufferStorage(buffer.storageBuffer);
  if (storage.slots[SLOT_CHUNK_INDEX] !== 0) throw new Error('expected chunk 0 in slot 0');
  while (Atomics.load(data.stop, 0) === 0) {
    const source = operations % 2 === 0 ? chunks[1] : chunks[0];
    for (let c = 0; c < data.channels; c++) storage.samples.set(source.channelData[c], c * data.chunkFrames);
    operations++;
    Atomics.store(data.stop, 1, operations);
  }
}
port.postMessage({ operations });

import { describe, expect, it } from '@jest/globals';
import { StorageLayoutError } from '../errors.js';
import { StreamingBuffer } from '../StreamingBuffer.js';
import { openBufferStorage, SLOT_INTS, SLOT_SEQ } from '../storage/BufferStorage.js';
import { outputs, sourceSample, wholeChunk } from '../syntheticSource.fixture.js';
import { BufferReader } from './BufferReader.js';

const CHUNK = 480;

describe('BufferReader', () => {
  it('reads, from a SharedArrayBuffer alone, what the control side pushes afterwards', () => {
    const buffer = new StreamingBuffer({ channels: 2, sampleRate: 48_000, chunkFrames: CHUNK, totalFrames: 4000, shared: true });
    expect(buffer.storageBuffer).toBeInstanceOf(SharedArrayBuffer);
    const reader = BufferReader.fromBuffer(buffer.storageBuffer);
    expect({ channels: reader.channels, chunkFrames: reader.chunkFrames, totalFrames: reader.totalFrames }).toEqual({
      channels: 2,
      chunkFrames: CHUNK,
      totalFrames: 4000,
    });
    const out = outputs(2, 128);
    expect(reader.read(400, 128, out, 0)).toBe(128);
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    buffer.pushChunk(wholeChunk(CHUNK, 1, 2));
    expect(reader.read(400, 128, out, 0)).toBe(0);
    for (let i = 0; i < 128; i++) expect(out[1][i]).toBe(sourceSample(400 + i, 1));
    expect(reader.framesAvailableAt(400)).toBe(560);
  });

  it('keeps unknown stem length as Infinity through the header', () => {
    const buffer = new StreamingBuffer({ channels: 1, sampleRate: 48_000, chunkFrames: CHUNK });
    expect(BufferReader.fromBuffer(buffer.storageBuffer).totalFrames).toBe(Infinity);
  });

  it('skips a slot while its writer holds it (odd seq) and reports those frames missing', () => {
    const buffer = new StreamingBuffer({ channels: 1, sampleRate: 48_000, chunkFrames: CHUNK });
    buffer.pushChunk(wholeChunk(CHUNK, 0, 1));
    const { slots } = openBufferStorage(buffer.storageBuffer);
    const slot = 0;
    Atomics.add(slots, slot * SLOT_INTS + SLOT_SEQ, 1);
    const out = outputs(1, 64);
    expect(buffer.read(0, 64, out)).toBe(64);
    expect(out[0].every((v) => v === 0)).toBe(true);
    expect(buffer.framesAvailableAt(0)).toBe(0);
    Atomics.add(slots, slot * SLOT_INTS + SLOT_SEQ, 1);
    expect(buffer.read(0, 64, out)).toBe(0);
  });

  it('refuses a buffer that is not a storage, saying why', () => {
    expect(() => BufferReader.fromBuffer(new ArrayBuffer(8))).toThrow(StorageLayoutError);
    expect(() => BufferReader.fromBuffer(new ArrayBuffer(64))).toThrow(/wrong magic number/);
    const good = new StreamingBuffer({ channels: 1, sampleRate: 48_000, chunkFrames: CHUNK }).storageBuffer as ArrayBuffer;
    expect(() => BufferReader.fromBuffer(good.slice(0, good.byteLength - 4))).toThrow(/the header describes/);
    const future = good.slice(0);
    new Int32Array(future)[1] = 99;
    expect(() => BufferReader.fromBuffer(future)).toThrow(/layout version 99/);
  });
});

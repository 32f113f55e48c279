import { describe, expect, it } from '@jest/globals';
import { wantedChunks } from './refillPolicy.js';
import type { HeldRange } from './refillPolicy.js';
import { StreamingBuffer } from './StreamingBuffer.js';
import { sourceChunk, wholeChunk } from './syntheticSource.fixture.js';

const CHUNK = 1000;
const unbounded = { chunkFrames: CHUNK, totalFrames: Infinity };
const WHOLE: HeldRange = { validStart: 0, validEnd: CHUNK };

function holding(ranges: Record<number, HeldRange>): (index: number) => HeldRange | undefined {
  return (index) => ranges[index];
}

describe('wantedChunks (pure refill rule)', () => {
  it('wants N..N+3 while chunk N plays, nearest first', () => {
    expect(wantedChunks(5500, 4, unbounded, holding({}))).toEqual([5, 6, 7, 8]);
  });

  it('wants nothing when N..N+3 are held, and exactly N+3 when only it is missing (the plan rule)', () => {
    expect(wantedChunks(5500, 4, unbounded, holding({ 5: WHOLE, 6: WHOLE, 7: WHOLE, 8: WHOLE }))).toEqual([]);
    expect(wantedChunks(5500, 4, unbounded, holding({ 5: WHOLE, 6: WHOLE, 7: WHOLE }))).toEqual([8]);
  });

  it('also wants a hole nearer than N+3 (out-of-order arrivals)', () => {
    expect(wantedChunks(5500, 4, unbounded, holding({ 5: WHOLE, 7: WHOLE, 8: WHOLE }))).toEqual([6]);
  });

  it('counts chunk N as complete from the play position on, and wants partial chunks again', () => {
    const playedPartOnly = { 5: { validStart: 0, validEnd: 400 }, 6: WHOLE, 7: WHOLE, 8: WHOLE };
    expect(wantedChunks(5500, 4, unbounded, holding(playedPartOnly))).toEqual([5]);
    const fromPosition = { 5: { validStart: 500, validEnd: CHUNK }, 6: { validStart: 0, validEnd: 100 }, 7: WHOLE, 8: WHOLE };
    expect(wantedChunks(5500, 4, unbounded, holding(fromPosition))).toEqual([6]);
  });

  it('follows a configurable lookahead', () => {
    expect(wantedChunks(0, 2, unbounded, holding({}))).toEqual([0, 1]);
    expect(wantedChunks(0, 1, unbounded, holding({ 0: WHOLE }))).toEqual([]);
  });

  it('stops at the end of the stem, whose last chunk may be short', () => {
    const grid = { chunkFrames: CHUNK, totalFrames: 6200 };
    expect(wantedChunks(4100, 4, grid, holding({}))).toEqual([4, 5, 6]);
    expect(wantedChunks(4100, 4, grid, holding({ 4: WHOLE, 5: WHOLE, 6: { validStart: 0, validEnd: 200 } }))).toEqual([]);
    expect(wantedChunks(6200, 4, grid, holding({}))).toEqual([]);
  });

  it('treats a negative position as the start of the stem', () => {
    expect(wantedChunks(-300, 2, unbounded, holding({}))).toEqual([0, 1]);
  });
});

describe('StreamingBuffer refill queries', () => {
  it('needsRefill follows the plan: false with N..N+3 held, true once playback enters N+1 and N+4 is missing', () => {
    const buffer = new StreamingBuffer({ channels: 1, sampleRate: 1000, chunkFrames: CHUNK });
    expect(buffer.needsRefill(0)).toBe(true);
    for (const index of [0, 1, 2, 3]) buffer.pushChunk(wholeChunk(CHUNK, index, 1));
    expect(buffer.needsRefill(0)).toBe(false);
    expect(buffer.needsRefill(999)).toBe(false);
    expect(buffer.needsRefill(1000)).toBe(true);
    expect(buffer.wantedChunks(1000)).toEqual([4]);
    buffer.advanceTo(1000);
    buffer.pushChunk(wholeChunk(CHUNK, 4, 1));
    expect(buffer.needsRefill(1000)).toBe(false);
  });

  it('wants a chunk again while only its first-audio slice is held', () => {
    const buffer = new StreamingBuffer({ channels: 1, sampleRate: 1000, chunkFrames: CHUNK, lookaheadChunks: 2 });
    buffer.pushChunk(sourceChunk(CHUNK, 0, 50, 1));
    expect(buffer.wantedChunks(0)).toEqual([0, 1]);
    buffer.pushChunk(wholeChunk(CHUNK, 1, 1));
    expect(buffer.wantedChunks(0)).toEqual([0]);
    expect(buffer.wantedChunks(1000)).toEqual([2]);
  });
});

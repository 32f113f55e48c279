import { describe, expect, it } from '@jest/globals';
import { fillWindow, planFill, sliceStart } from './fillPlan.js';
import type { FrameRange } from './fillPlan.js';

// 10 chunks of 1000 frames, the last one 500 long.
const geometry = { totalFrames: 9500, chunkFrames: 1000, bufferChunks: 4, cacheChunks: 3 };
const nothingHeld = (from: number, to: number): FrameRange[] => [[from, to]];

describe('planFill', () => {
  it('primes a song: the first-audio slice first, then chunks 0–3 whole at the rest priority', () => {
    const plan = planFill(geometry, { position: 0, firstFrames: 100, firstPriority: 'urgent', restPriority: 'normal', gaps: nothingHeld, inFlight: [] });
    expect(plan.map((p) => [p.span, p.priority])).toEqual([
      [{ startFrame: 0, frameCount: 100 }, 'urgent'],
      [0, 'normal'],
      [1, 'normal'],
      [2, 'normal'],
      [3, 'normal'],
    ]);
  });

  it('entering chunk N+1 asks only for chunk N+4 (the rolling window)', () => {
    const held = (from: number, to: number): FrameRange[] => (to <= 4000 ? [] : [[Math.max(from, 4000), to]]);
    const plan = planFill(geometry, { position: 1000, firstFrames: 0, firstPriority: 'urgent', restPriority: 'normal', gaps: held, inFlight: [] });
    expect(plan.map((p) => p.span)).toEqual([4]);
    expect(fillWindow(1000, geometry)).toEqual([1000, 5000]);
  });

  it('does not ask again for what is in flight', () => {
    const plan = planFill(geometry, { position: 0, firstFrames: 100, firstPriority: 'urgent', restPriority: 'normal', gaps: nothingHeld, inFlight: [[0, 100], [0, 1000], [1000, 2000]] });
    expect(plan.map((p) => p.span)).toEqual([2, 3]);
  });

  it('seeks past the cached chunks: slice at the target, then only the lacking rest of its chunk, then whole chunks, clipped to the song', () => {
    const plan = planFill(geometry, { position: 7250, firstFrames: 100, firstPriority: 'urgent', restPriority: 'normal', gaps: nothingHeld, inFlight: [] });
    expect(plan.map((p) => [p.span, p.priority])).toEqual([
      [{ startFrame: 7250, frameCount: 100 }, 'urgent'],
      [{ startFrame: 7350, frameCount: 650 }, 'normal'],
      [8, 'normal'],
      [9, 'normal'],
    ]);
    expect(plan[3].end).toBe(9500);
  });

  it('asks for a cacheable chunk whole even after its first slice arrived, so the loader can cache it', () => {
    const held = (from: number, to: number): FrameRange[] => (Math.max(from, 1100) < to ? [[Math.max(from, 1100), to]] : []); // [1000, 1100) arrived
    const plan = planFill(geometry, { position: 1000, firstFrames: 100, firstPriority: 'urgent', restPriority: 'idle', gaps: held, inFlight: [] });
    expect(plan.map((p) => [p.span, p.priority])).toEqual([
      [1, 'idle'],
      [2, 'idle'],
      [3, 'idle'],
      [4, 'idle'],
    ]);
  });

  it('plans nothing at or past the end', () => {
    expect(planFill(geometry, { position: 9500, firstFrames: 100, firstPriority: 'urgent', restPriority: 'normal', gaps: nothingHeld, inFlight: [] })).toEqual([]);
  });
});

describe('sliceStart', () => {
  // Chunks of 1000 frames; `held` lists what the buffer holds.
  const gapsOf = (held: FrameRange[]) => (from: number, to: number): FrameRange[] => {
    const result: FrameRange[] = [];
    let cursor = from;
    for (const [s, e] of held) {
      if (e <= cursor || s >= to) continue;
      if (s > cursor) result.push([cursor, Math.min(s, to)]);
      cursor = Math.max(cursor, e);
    }
    if (cursor < to) result.push([cursor, to]);
    return result;
  };

  it('starts at the position when the chunk holds nothing before it, or holds the position itself', () => {
    expect(sliceStart(2500, 1000, gapsOf([]))).toBe(2500);
    expect(sliceStart(2500, 1000, gapsOf([[2000, 2600]]))).toBe(2500);
    expect(sliceStart(2000, 1000, gapsOf([[1000, 2000]]))).toBe(2000);
  });

  it('extends an earlier part of the same chunk that stops short of the position', () => {
    expect(sliceStart(2500, 1000, gapsOf([[2000, 2100]]))).toBe(2100);
    expect(sliceStart(2500, 1000, gapsOf([[1500, 2100]]))).toBe(2100);
  });

  it('plans the extended slice for a seek target beyond a half-loaded chunk', () => {
    const plan = planFill(geometry, { position: 7250, firstFrames: 100, firstPriority: 'urgent', restPriority: 'normal', gaps: gapsOf([[7000, 7050]]), inFlight: [] });
    expect(plan[0]).toMatchObject({ span: { startFrame: 7050, frameCount: 300 }, start: 7050, end: 7350, priority: 'urgent' });
  });
});

import { describe, expect, it } from '@jest/globals';
import type { FrameRange } from './fillPlan.js';
import { keptRanges, planStemRequests, playbackPath } from './stemRequests.js';
import type { StemGeometry, StemPositions } from './stemRequests.js';

// 1000-frame chunks, a 20-chunk stem, a 4-chunk window (capacity 6), 100-frame first slices, no cache.
const g: StemGeometry = { sampleRate: 1000, totalFrames: 20_000, chunkFrames: 1000, bufferChunks: 4, capacityChunks: 6, cacheChunks: 0, firstFrames: 100, fadeFrames: 50 };
const at = (position: number, more: Partial<StemPositions> = {}): StemPositions => ({ position, seekTarget: null, fadingFrom: null, ...more });
const nothingHeld = (from: number, to: number): FrameRange[] => [[from, to]];
const plan = (positions: StemPositions, gaps = nothingHeld) =>
  planStemRequests(g, positions, { inFlight: [], nextRequestId: 1 }, { firstSlice: false, firstPriority: 'urgent', now: 0, gaps }).map((p) => [p.start, p.end, p.priority, p.lead]);

describe('playbackPath', () => {
  it('is the linear window without a jump or loop', () => {
    expect(playbackPath(g, at(2500), 4)).toEqual([{ from: 2500, to: 6000, lead: 0, jumpTarget: false }]);
  });

  it('goes from the landing to the jump target, the window shared between them', () => {
    // Playing 2500, landing at the next "bar" 4000, target 12,300: [2500, 4000) touches chunks 2–3, the target gets chunks 12–13.
    expect(playbackPath(g, at(2500, { jump: { landing: 4000, target: 12_300 } }), 4)).toEqual([
      { from: 2500, to: 4000, lead: 0, jumpTarget: false },
      { from: 12_300, to: 14_000, lead: 1500, jumpTarget: true },
    ]);
  });

  it('wraps a loop once: its end, then its start, so the start is held before the end plays', () => {
    // Loop [1500, 3500) while playing 3200: 3200–3500, then 1500–3500 (chunks 1–3), then it would repeat.
    expect(playbackPath(g, at(3200, { loop: { start: 1500, end: 3500 } }), 6)).toEqual([
      { from: 3200, to: 3500, lead: 0, jumpTarget: false },
      { from: 1500, to: 3500, lead: 300, jumpTarget: false },
    ]);
    // A long loop follows playback order within the budget.
    expect(playbackPath(g, at(9200, { loop: { start: 1500, end: 9500 } }), 4)).toEqual([
      { from: 9200, to: 9500, lead: 0, jumpTarget: false },
      { from: 1500, to: 4000, lead: 300, jumpTarget: false },
    ]);
  });

  it('a jump at the loop end leaves the loop when its target lies outside it', () => {
    expect(playbackPath(g, at(3200, { loop: { start: 1500, end: 3500 }, jump: { landing: 3500, target: 10_000 } }), 4)).toEqual([
      { from: 3200, to: 3500, lead: 0, jumpTarget: false },
      { from: 10_000, to: 13_000, lead: 300, jumpTarget: true },
    ]);
  });

  it('a jump whose landing has passed keeps a first slice of the position still playing', () => {
    expect(playbackPath(g, at(5000, { jump: { landing: 4000, target: 15_000 } }), 4)).toEqual([
      { from: 5000, to: 5100, lead: 0, jumpTarget: false },
      { from: 15_000, to: 18_000, lead: 100, jumpTarget: true },
    ]);
  });
});

describe('keptRanges', () => {
  it('keeps the playing chunk from its start, then the path', () => {
    expect(keptRanges(g, at(3200, { loop: { start: 1500, end: 3500 } }))).toEqual([
      [3000, 3500],
      [1500, 3500],
    ]);
    expect(keptRanges(g, at(2500))).toEqual([[2000, 6000]]);
  });
});

describe('planStemRequests', () => {
  it("asks for a jump's target slice urgently, due at the landing, and the rest of its chunk after", () => {
    // Held: the playing window [2000, 4000). Lead 1500 frames = 1.5 s at this geometry's 1000 Hz.
    const held = (from: number, to: number): FrameRange[] => (to <= 4000 && from >= 2000 ? [] : [[from, to]]);
    expect(plan(at(2500, { jump: { landing: 4000, target: 12_300 } }), held)).toEqual([
      [12_300, 12_400, 'urgent', 1500],
      [12_400, 13_000, 'normal', 1600],
      [13_000, 14_000, 'normal', 2200],
    ]);
  });

  it("asks for a loop's start by the time the loop's end has played", () => {
    const held = (from: number, to: number): FrameRange[] => (from >= 3000 && to <= 4000 ? [] : [[from, to]]);
    expect(plan(at(3200, { loop: { start: 1500, end: 3500 } }), held)).toEqual([
      [1500, 2000, 'normal', 300],
      [2000, 3000, 'normal', 800],
    ]);
  });
});

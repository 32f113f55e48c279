import { describe, expect, it } from '@jest/globals';
import { BufferConfigError, InvalidChunkError, InvalidPositionError } from './errors.js';
import { StreamingBuffer } from './StreamingBuffer.js';
import { outputs, sourceChunk, sourceSample, wholeChunk } from './syntheticSource.fixture.js';

// A small grid keeps expectations hand-checkable: chunk i covers frames [1000 i, 1000 i + 1000).
const CHUNK = 1000;

function stereo(extra: Partial<ConstructorParameters<typeof StreamingBuffer>[0]> = {}): StreamingBuffer {
  return new StreamingBuffer({ channels: 2, sampleRate: 1000, chunkFrames: CHUNK, ...extra });
}

/** Expects out[c][at + i] to be the source frame `position + i` for i in [from, to), and 0 elsewhere in [0, frames). */
function expectSourceThenSilence(out: Float32Array[], at: number, position: number, frames: number, held: Array<[number, number]>): void {
  for (let c = 0; c < out.length; c++) {
    for (let i = 0; i < frames; i++) {
      const frame = position + i;
      const isHeld = held.some(([from, to]) => frame >= from && frame < to);
      const expected = isHeld ? sourceSample(frame, c) : 0;
      if (out[c][at + i] !== expected) {
        throw new Error(`channel ${c} frame ${frame}: got ${out[c][at + i]}, expected ${expected}`);
      }
    }
  }
}

describe('StreamingBuffer reads', () => {
  it('reads across chunk boundaries seamlessly and sample-exactly', () => {
    const buffer = stereo();
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    buffer.pushChunk(wholeChunk(CHUNK, 1, 2));
    buffer.pushChunk(wholeChunk(CHUNK, 2, 2));
    const out = outputs(2, 3100);
    expect(buffer.read(0, 3100, out, 0)).toBe(100);
    expectSourceThenSilence(out, 0, 0, 3100, [[0, 3000]]);
    expect(buffer.getSamples(995, 10, out, 0)).toBe(0);
    expectSourceThenSilence(out, 0, 995, 10, [[0, 3000]]);
  });

  it('writes at the offset, leaves the rest of the output untouched, and counts exactly the missing frames', () => {
    const buffer = stereo();
    buffer.pushChunk(sourceChunk(CHUNK, 1100, 200, 2)); // frames 1100..1300 only
    const out = outputs(2, 128);
    const missing = buffer.read(1250, 100, out, 20);
    // 1250..1300 held (50 frames), 1300..1350 missing (50 frames).
    expect(missing).toBe(50);
    expectSourceThenSilence(out, 20, 1250, 100, [[1100, 1300]]);
    for (const channel of out) {
      expect(Array.from(channel.subarray(0, 20))).toEqual(new Array(20).fill(9));
      expect(Array.from(channel.subarray(120))).toEqual(new Array(8).fill(9));
    }
  });

  it('writes silence and reports every frame missing when nothing is held', () => {
    const buffer = stereo();
    const out = outputs(2, 64);
    expect(buffer.read(5000, 64, out)).toBe(64);
    expect(out.every((channel) => channel.every((v) => v === 0))).toBe(true);
  });

  it('treats frames before 0 and from totalFrames on as silence that is not missing', () => {
    const buffer = stereo({ totalFrames: 2500 });
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2, 2500));
    buffer.pushChunk(wholeChunk(CHUNK, 2, 2, 2500)); // the short last chunk: 2000..2500
    const out = outputs(2, 200);
    expect(buffer.read(-50, 100, out)).toBe(0);
    expectSourceThenSilence(out, 0, -50, 100, [[0, 1000]]);
    expect(buffer.read(2450, 100, out)).toBe(0);
    expectSourceThenSilence(out, 0, 2450, 100, [[2000, 2500]]);
    expect(buffer.read(950, 100, out)).toBe(50); // chunk 1 is missing
  });

  it('reports invalid arguments without throwing', () => {
    const buffer = stereo();
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    const out = outputs(2, 16);
    expect(buffer.read(0, 0, out)).toBe(0);
    expect(buffer.read(0, -5, out)).toBe(0);
    expect(buffer.read(Number.NaN, 16, out)).toBe(16);
    expect(out[0].every((v) => v === 0)).toBe(true);
    const untouched = outputs(2, 16);
    expect(buffer.read(0, 16, untouched, -1)).toBe(16);
    expect(untouched[0].every((v) => v === 9)).toBe(true);
    // Asking for more frames than the output holds clips the writes to the output.
    expect(buffer.read(0, 100, outputs(2, 16), 8)).toBe(0);
  });

  it('handles mono and N channels, and outputs with fewer or more channels than the stem', () => {
    for (const channels of [1, 2, 6]) {
      const buffer = new StreamingBuffer({ channels, sampleRate: 1000, chunkFrames: CHUNK });
      buffer.pushChunk(wholeChunk(CHUNK, 0, channels));
      const out = outputs(channels, 300);
      expect(buffer.read(900, 300, out)).toBe(200);
      expectSourceThenSilence(out, 0, 900, 300, [[0, 1000]]);
    }
    const six = new StreamingBuffer({ channels: 6, sampleRate: 1000, chunkFrames: CHUNK });
    six.pushChunk(wholeChunk(CHUNK, 0, 6));
    const two = outputs(2, 10);
    expect(six.read(0, 10, two)).toBe(0);
    expectSourceThenSilence(two, 0, 0, 10, [[0, 1000]]);
    const mono = new StreamingBuffer({ channels: 1, sampleRate: 1000, chunkFrames: CHUNK });
    mono.pushChunk(wholeChunk(CHUNK, 0, 1));
    const wide = outputs(2, 10);
    mono.read(0, 10, wide);
    expect(wide[1].every((v) => v === 9)).toBe(true);
  });

  it('keeps its own copy of pushed samples', () => {
    const buffer = stereo();
    const chunk = wholeChunk(CHUNK, 0, 2);
    buffer.pushChunk(chunk);
    chunk.channelData[0].fill(0.5);
    const out = outputs(2, 10);
    buffer.read(0, 10, out);
    expectSourceThenSilence(out, 0, 0, 10, [[0, 1000]]);
  });
});

describe('StreamingBuffer partial and out-of-order chunks', () => {
  it('merges a first-audio slice with the whole chunk that follows', () => {
    const buffer = stereo();
    expect(buffer.pushChunk(sourceChunk(CHUNK, 0, 100, 2)).parts[0].outcome).toBe('stored');
    expect(buffer.hasChunk(0)).toBe(false);
    expect(buffer.framesAvailableAt(0)).toBe(100);
    expect(buffer.pushChunk(wholeChunk(CHUNK, 0, 2)).parts[0].outcome).toBe('merged');
    expect(buffer.hasChunk(0)).toBe(true);
    expect(buffer.stats().chunks).toBe(1);
    const out = outputs(2, CHUNK);
    expect(buffer.read(0, CHUNK, out)).toBe(0);
    expectSourceThenSilence(out, 0, 0, CHUNK, [[0, 1000]]);
  });

  it('extends a slice with an adjacent one, and ignores a slice it already holds', () => {
    const buffer = stereo();
    buffer.pushChunk(sourceChunk(CHUNK, 2000, 500, 2));
    expect(buffer.pushChunk(sourceChunk(CHUNK, 2500, 500, 2)).parts[0].outcome).toBe('merged');
    expect(buffer.hasChunk(2)).toBe(true);
    const again = buffer.pushChunk(sourceChunk(CHUNK, 2100, 300, 2));
    expect(again).toEqual({ held: true, parts: [{ index: 2, startFrame: 2100, frameCount: 300, outcome: 'duplicate', evicted: null }] });
  });

  it('keeps, of two disjoint slices of one chunk, the one playback reaches first', () => {
    const buffer = stereo();
    buffer.pushChunk(sourceChunk(CHUNK, 600, 100, 2));
    expect(buffer.pushChunk(sourceChunk(CHUNK, 800, 100, 2)).parts[0].outcome).toBe('disjoint');
    expect(buffer.pushChunk(sourceChunk(CHUNK, 0, 100, 2)).parts[0].outcome).toBe('replaced');
    expect(buffer.heldChunks()).toEqual([{ index: 0, startFrame: 0, endFrame: 100 }]);
    const out = outputs(2, 1000);
    expect(buffer.read(0, 1000, out)).toBe(900);
    expectSourceThenSilence(out, 0, 0, 1000, [[0, 100]]);
  });

  it('accepts chunks in any order and splits a span that crosses the chunk grid', () => {
    const buffer = stereo();
    for (const index of [3, 1, 2]) buffer.pushChunk(wholeChunk(CHUNK, index, 2));
    const span = buffer.pushChunk(sourceChunk(CHUNK, 500, 500, 2));
    expect(span.parts.map((p) => p.outcome)).toEqual(['stored']);
    const crossing = buffer.pushChunk(sourceChunk(CHUNK, 900, 300, 2));
    expect(crossing.parts).toEqual([
      { index: 0, startFrame: 900, frameCount: 100, outcome: 'duplicate', evicted: null },
      { index: 1, startFrame: 1000, frameCount: 200, outcome: 'duplicate', evicted: null },
    ]);
    const out = outputs(2, 3600);
    expect(buffer.read(400, 3600, out)).toBe(100);
    expectSourceThenSilence(out, 0, 400, 3600, [[500, 4000]]);
    expect(buffer.framesAvailableAt(500)).toBe(3500);
  });
});

describe('StreamingBuffer window', () => {
  it('drops chunks wholly behind the play position, on push and when playback moves on', () => {
    const buffer = stereo();
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    buffer.pushChunk(wholeChunk(CHUNK, 1, 2));
    buffer.advanceTo(1000);
    expect(buffer.heldChunks().map((h) => h.index)).toEqual([1]);
    expect(buffer.pushChunk(wholeChunk(CHUNK, 0, 2))).toEqual({
      held: false,
      parts: [{ index: 0, startFrame: 0, frameCount: 1000, outcome: 'behind', evicted: null }],
    });
    // A chunk that still holds the play position is kept, even if it started before it.
    buffer.advanceTo(1999);
    expect(buffer.hasChunk(1)).toBe(true);
  });

  it('holds at most bufferChunks: a farther chunk is refused, a nearer one evicts the farthest', () => {
    const buffer = stereo();
    for (const index of [0, 1, 2, 7]) buffer.pushChunk(wholeChunk(CHUNK, index, 2));
    const nearer = buffer.pushChunk(wholeChunk(CHUNK, 3, 2));
    expect(nearer.parts[0]).toMatchObject({ outcome: 'stored', evicted: 7 });
    expect(buffer.pushChunk(wholeChunk(CHUNK, 4, 2)).parts[0].outcome).toBe('no-room');
    // The plan's cycle: playback enters chunk 1, chunk 0 is dropped, chunk 4 fits.
    buffer.advanceTo(1000);
    expect(buffer.pushChunk(wholeChunk(CHUNK, 4, 2)).parts[0]).toMatchObject({ outcome: 'stored', evicted: null });
    expect(buffer.heldChunks().map((h) => h.index)).toEqual([1, 2, 3, 4]);
  });

  it('seekToChunk keeps the chunks still useful at the new position, so a seek inside the buffer plays at once', () => {
    const buffer = stereo();
    for (const index of [2, 3, 4, 5]) buffer.pushChunk(wholeChunk(CHUNK, index, 2));
    buffer.seekToChunk(3);
    expect(buffer.playPosition).toBe(3000);
    expect(buffer.heldChunks().map((h) => h.index)).toEqual([3, 4, 5]);
    const out = outputs(2, 128);
    expect(buffer.read(3000, 128, out)).toBe(0);
    buffer.seekToChunk(1); // window 1..4: chunk 5 is freed
    expect(buffer.heldChunks().map((h) => h.index)).toEqual([3, 4]);
    buffer.seekToChunk(40);
    expect(buffer.stats().chunks).toBe(0);
    expect(buffer.read(3000, 128, out)).toBe(128);
  });

  it('hasChunk is true for a whole chunk only, counting a short last chunk as whole', () => {
    const buffer = stereo({ totalFrames: 2300 });
    buffer.pushChunk(sourceChunk(CHUNK, 2000, 300, 2));
    buffer.pushChunk(sourceChunk(CHUNK, 1000, 999, 2));
    expect(buffer.hasChunk(2)).toBe(true);
    expect(buffer.hasChunk(1)).toBe(false);
    expect(buffer.hasChunk(0)).toBe(false);
  });

  it('reports the fill level ahead of the play position', () => {
    const buffer = stereo({ totalFrames: 10_000 });
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    buffer.pushChunk(sourceChunk(CHUNK, 1000, 500, 2));
    // 250..1500 held: 1250 frames = 1.25 s at 1000 Hz; the window at 250 wants 250..4000.
    expect(buffer.fillLevel(250)).toEqual({ frames: 1250, seconds: 1.25, fraction: 1250 / 3750, reachesEnd: false });
    expect(buffer.fillLevel(1600)).toEqual({ frames: 0, seconds: 0, fraction: 0, reachesEnd: false });
    const short = stereo({ totalFrames: 1200 });
    short.pushChunk(wholeChunk(CHUNK, 1, 2, 1200));
    expect(short.fillLevel(1100)).toEqual({ frames: 100, seconds: 0.1, fraction: 1, reachesEnd: true });
  });

  it('clear frees every slot', () => {
    const buffer = stereo();
    buffer.pushChunk(wholeChunk(CHUNK, 0, 2));
    buffer.clear();
    expect(buffer.stats()).toMatchObject({ chunks: 0, frames: 0, bytes: 0 });
  });
});

describe('StreamingBuffer refusals', () => {
  const buffer = stereo({ totalFrames: 5000 });

  it.each([
    ['a chunk index off the grid', { ...sourceChunk(CHUNK, 1500, 10, 2), index: 2 }, /lies in chunk 1 of 1000 frames/],
    ['the wrong channel count', sourceChunk(CHUNK, 0, 10, 1), /holds 2 channel/],
    ['channel data shorter than frameCount', { ...sourceChunk(CHUNK, 0, 10, 2), frameCount: 11 }, /channel 0 has 10 samples/],
    ['frames past the end of the stem', sourceChunk(CHUNK, 4990, 20, 2), /ends at frame 5000/],
    ['a negative start', { ...sourceChunk(CHUNK, 0, 10, 2), startFrame: -10, index: -1 }, /startFrame must be/],
  ])('refuses %s with an InvalidChunkError naming it', (_name, chunk, message) => {
    const attempt = () => buffer.pushChunk(chunk);
    expect(attempt).toThrow(InvalidChunkError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect(e).toMatchObject({ index: chunk.index, startFrame: chunk.startFrame, frameCount: chunk.frameCount });
    }
  });

  it('refuses play positions that are not frames or chunk indices', () => {
    expect(() => buffer.advanceTo(Number.NaN)).toThrow(InvalidPositionError);
    expect(() => buffer.advanceTo(10.5)).toThrow(/advanceTo\(10.5\) was refused/);
    expect(() => buffer.seekToChunk(-1)).toThrow(InvalidPositionError);
    expect(buffer.playPosition).toBe(0);
  });

  it.each([
    [{ channels: 0 }, 'channels'],
    [{ chunkFrames: 0.5 }, 'chunkFrames'],
    [{ sampleRate: 0 }, 'sampleRate'],
    [{ bufferChunks: 0 }, 'bufferChunks'],
    [{ bufferChunks: 2, lookaheadChunks: 3 }, 'lookaheadChunks'],
    [{ totalFrames: -1 }, 'totalFrames'],
  ])('refuses options %j with a BufferConfigError naming %s', (options, option) => {
    expect(() => stereo(options)).toThrow(BufferConfigError);
    expect(() => stereo(options)).toThrow(new RegExp(`option ${option} `));
  });
});

describe('StreamingBuffer.retainRanges', () => {
  it('frees exactly the slots wholly outside every range and keeps the rest readable', () => {
    const buffer = stereo({ bufferChunks: 4 });
    for (const index of [0, 1, 5, 9]) buffer.pushChunk(wholeChunk(CHUNK, index, 2));
    expect(buffer.freeSlots).toBe(0);
    // [900, 1001) touches chunks 0 and 1; [5999, 6000) touches chunk 5 by its last frame; chunk 9 is outside.
    expect(buffer.retainRanges([[900, 1001], [5999, 6000]])).toBe(1);
    expect(buffer.heldChunks().map((h) => h.index)).toEqual([0, 1, 5]);
    expect(buffer.freeSlots).toBe(1);
    const out = outputs(2, 10);
    expect(buffer.read(5990, 10, out)).toBe(0);
    expectSourceThenSilence(out, 0, 5990, 10, [[5000, 6000]]);
    expect(buffer.read(9000, 10, out)).toBe(10);
  });

  it('compares against the held part of a partial slot, not the whole chunk', () => {
    const buffer = stereo({ bufferChunks: 2 });
    buffer.pushChunk(sourceChunk(CHUNK, 1500, 100, 2)); // frames 1500..1600 of chunk 1
    expect(buffer.retainRanges([[1000, 1500]])).toBe(1);
    expect(buffer.freeSlots).toBe(2);
  });
});

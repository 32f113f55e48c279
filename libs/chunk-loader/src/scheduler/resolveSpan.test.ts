import { describe, expect, it } from '@jest/globals';
import { InvalidSpanError } from '../errors.js';
import type { StemInfo } from '../types.js';
import { resolveSpan } from './resolveSpan.js';

// 10.5 s at 48 kHz in 5 s chunks: chunks of 240 000 frames, the third one 24 000 frames long.
const stem: StemInfo = {
  song: 's', stem: 'bass', path: '/x.flac', sampleRate: 48_000, outputSampleRate: 48_000, channels: 2, bitDepth: 24,
  totalFrames: 504_000, chunkFrames: 240_000, totalChunks: 3, md5: '0'.repeat(32),
};

describe('resolveSpan', () => {
  it('turns a chunk index into its frames; the last chunk is short', () => {
    expect(resolveSpan(stem, 1)).toEqual({ chunkIndex: 1, startFrame: 240_000, frameCount: 240_000, wholeChunk: true });
    expect(resolveSpan(stem, 2)).toEqual({ chunkIndex: 2, startFrame: 480_000, frameCount: 24_000, wholeChunk: true });
  });

  it('places a slice in the chunk holding its first frame and cuts it at the end of the stem', () => {
    expect(resolveSpan(stem, { startFrame: 0, frameCount: 24_000 })).toEqual({ chunkIndex: 0, startFrame: 0, frameCount: 24_000, wholeChunk: false });
    expect(resolveSpan(stem, { startFrame: 239_999, frameCount: 2 })).toEqual({ chunkIndex: 0, startFrame: 239_999, frameCount: 2, wholeChunk: false });
    expect(resolveSpan(stem, { startFrame: 500_000, frameCount: 10_000 })).toEqual({ chunkIndex: 2, startFrame: 500_000, frameCount: 4_000, wholeChunk: false });
  });

  it('treats a slice covering exactly one chunk as that chunk', () => {
    expect(resolveSpan(stem, { startFrame: 240_000, frameCount: 240_000 })).toEqual(resolveSpan(stem, 1));
    expect(resolveSpan(stem, { startFrame: 480_000, frameCount: 240_000 })).toEqual(resolveSpan(stem, 2));
  });

  it.each([
    [3, /0\.\.2/],
    [-1, /0\.\.2/],
    [1.5, /integer/],
    [{ startFrame: 504_000, frameCount: 1 }, /startFrame/],
    [{ startFrame: -1, frameCount: 1 }, /startFrame/],
    [{ startFrame: 0, frameCount: 0 }, /positive/],
    [{ startFrame: 0, frameCount: 240_001 }, /one chunk \(240000 frames\)/],
  ])('refuses %j', (span, message) => {
    expect(() => resolveSpan(stem, span)).toThrow(InvalidSpanError);
    expect(() => resolveSpan(stem, span)).toThrow(message);
  });
});

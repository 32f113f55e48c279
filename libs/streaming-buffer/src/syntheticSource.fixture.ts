import type { Chunk } from './Chunk.js';
import type { Frames } from './units.js';

// Held in module scope: under Jest, code runs in a vm context whose global lookups (`Math`) go
// through an interceptor, which made generating test chunks ~40x slower than plain Node.
const imul = Math.imul;

/**
 * The test oracle: a stem whose sample at (frame, channel) is a known, never-zero float32, so a
 * read can be checked frame by frame — real data equals this, silence is exactly 0, and a frame
 * shifted by one (or taken from another channel) does not match. Values are k / 2^24 with
 * 1 ≤ k ≤ 2^24, exact in float32; the multiplicative hash makes neighbours differ.
 */
export function sourceSample(frame: Frames, channel: number): number {
  const k = (imul(frame * 8 + channel + 1, 0x9e3779b1) >>> 8) + 1;
  return (channel % 2 === 0 ? k : -k) / 16_777_216;
}

/** Planar source samples for frames `[startFrame, startFrame + frameCount)`. */
export function sourceData(startFrame: Frames, frameCount: Frames, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const data = new Float32Array(frameCount);
    for (let i = 0; i < frameCount; i++) data[i] = sourceSample(startFrame + i, c);
    return data;
  });
}

/** A chunk (or slice) of the synthetic source on a grid of `chunkFrames`. */
export function sourceChunk(chunkFrames: Frames, startFrame: Frames, frameCount: Frames, channels: number): Chunk {
  return {
    index: Math.floor(startFrame / chunkFrames),
    startFrame,
    frameCount,
    channelData: sourceData(startFrame, frameCount, channels),
  };
}

/** Whole chunk `index` of the synthetic source. */
export function wholeChunk(chunkFrames: Frames, index: number, channels: number, totalFrames = Infinity): Chunk {
  const start = index * chunkFrames;
  return sourceChunk(chunkFrames, start, Math.min(chunkFrames, totalFrames - start), channels);
}

/** Planar output arrays pre-filled with `fill` (a sentinel that neither source nor silence uses). */
export function outputs(channels: number, length: Frames, fill = 9): Float32Array[] {
  return Array.from({ length: channels }, () => new Float32Array(length).fill(fill));
}

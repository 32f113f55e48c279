import { InvalidSpanError } from '../errors.js';
import type { ChunkSpan, Frames, StemInfo } from '../types.js';

/** A span checked against the stem: frames inside it, at most one chunk long. */
export interface ResolvedSpan {
  /** The chunk containing `startFrame`. */
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  /** Exactly chunk `chunkIndex` (the last chunk is shorter): decodable with `decodeChunk`, cacheable. */
  readonly wholeChunk: boolean;
}

/**
 * Turn a request's span into frames. A chunk index must exist; a slice must start inside the stem,
 * is cut at its end, and may not be longer than one chunk (work items stay small so that a running
 * decode, which is never interrupted, delays an urgent request by at most one chunk's decode).
 * A slice that covers exactly one chunk counts as that chunk (same dedup key, cacheable).
 */
export function resolveSpan(stem: StemInfo, span: ChunkSpan): ResolvedSpan {
  const fail = (problem: string): never => {
    throw new InvalidSpanError(stem.song, stem.stem, span, problem);
  };
  if (typeof span === 'number') {
    if (!Number.isInteger(span) || span < 0 || span >= stem.totalChunks) {
      fail(`chunk index must be an integer in 0..${stem.totalChunks - 1}`);
    }
    const startFrame = span * stem.chunkFrames;
    return { chunkIndex: span, startFrame, frameCount: Math.min(stem.chunkFrames, stem.totalFrames - startFrame), wholeChunk: true };
  }
  const { startFrame, frameCount } = span;
  if (!Number.isInteger(startFrame) || startFrame < 0 || startFrame >= stem.totalFrames) {
    fail(`startFrame must be an integer in 0..${stem.totalFrames - 1}`);
  }
  if (!Number.isInteger(frameCount) || frameCount <= 0) fail('frameCount must be a positive integer');
  if (frameCount > stem.chunkFrames) fail(`frameCount may not exceed one chunk (${stem.chunkFrames} frames); request chunks one by one`);
  const count = Math.min(frameCount, stem.totalFrames - startFrame);
  const chunkIndex = Math.floor(startFrame / stem.chunkFrames);
  const chunkStart = chunkIndex * stem.chunkFrames;
  const wholeChunk = startFrame === chunkStart && count === Math.min(stem.chunkFrames, stem.totalFrames - chunkStart);
  return { chunkIndex, startFrame, frameCount: count, wholeChunk };
}

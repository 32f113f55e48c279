import type { ChunkSpan, Priority } from '../ports/ChunkSource.js';
import type { Frames } from '../units.js';

/** A frame range [start, end). */
export type FrameRange = readonly [Frames, Frames];

/** One request to make: what to ask the loader for, and the frames it brings. */
export interface PlannedRequest {
  readonly span: ChunkSpan;
  readonly start: Frames;
  readonly end: Frames;
  readonly priority: Priority;
}

/** The stem's geometry and the engine's buffering settings. */
export interface FillGeometry {
  readonly totalFrames: Frames;
  readonly chunkFrames: Frames;
  /** Chunks kept from the play position's chunk onwards (plan: 4). */
  readonly bufferChunks: number;
  /** Chunks below this index are asked for whole, so the loader can read and write them in its cache. */
  readonly cacheChunks: number;
}

export interface FillRequest {
  /** Where playback is (or will be, for a seek target). */
  readonly position: Frames;
  /** A first-audio slice to ask for first, before anything else (0 = none). */
  readonly firstFrames: Frames;
  readonly firstPriority: Priority;
  /** Priority of everything else in the window. */
  readonly restPriority: Priority;
  /** What the buffer lacks in a range (its `gaps`). */
  readonly gaps: (from: Frames, to: Frames) => readonly FrameRange[];
  /** Ranges already asked for and not yet delivered. */
  readonly inFlight: readonly FrameRange[];
}

/** The chunk holding `frame`. */
export function chunkOf(frame: Frames, chunkFrames: Frames): number {
  return Math.floor(frame / chunkFrames);
}

/**
 * The range a stem buffer should hold when playing at `position`: from the start of the playing
 * chunk N to the end of chunk N + bufferChunks − 1 (the plan's rolling window [N, N+3]). Entering
 * chunk N+1 thus asks for chunk N+4 (the plan's refill rule), and chunk N is dropped.
 */
export function fillWindow(position: Frames, geometry: FillGeometry): FrameRange {
  const first = chunkOf(position, geometry.chunkFrames);
  const start = first * geometry.chunkFrames;
  const end = Math.min(geometry.totalFrames, (first + geometry.bufferChunks) * geometry.chunkFrames);
  return [start, end];
}

function subtract(ranges: readonly FrameRange[], minus: readonly FrameRange[]): FrameRange[] {
  let result: FrameRange[] = [...ranges];
  for (const [ms, me] of minus) {
    const next: FrameRange[] = [];
    for (const [s, e] of result) {
      if (me <= s || ms >= e) next.push([s, e]);
      else {
        if (ms > s) next.push([s, ms]);
        if (me < e) next.push([me, e]);
      }
    }
    result = next;
  }
  return result;
}

/**
 * What to request so that the buffer holds the window from `position` on, in the order to ask.
 *
 * 1. A first-audio slice [position, position + firstFrames) when asked for (priming, seeks):
 *    a fraction of a chunk decodes in a few ms, so playback need not wait for a whole chunk.
 * 2. Each chunk of the window from `position` on that is not held or in flight. Chunks below
 *    `cacheChunks` are asked for whole (even when part of them is held or coming), because only
 *    whole chunks are read from and written to the loader's cache; later chunks ask only for the
 *    frames they lack.
 */
export function planFill(geometry: FillGeometry, request: FillRequest): PlannedRequest[] {
  const { totalFrames, chunkFrames } = geometry;
  const position = Math.max(0, Math.min(request.position, totalFrames));
  if (position >= totalFrames) return [];
  const [, windowEnd] = fillWindow(position, geometry);
  const planned: PlannedRequest[] = [];
  const pending: FrameRange[] = [...request.inFlight];
  const missing = (from: Frames, to: Frames) => subtract(request.gaps(from, to), pending);

  if (request.firstFrames > 0) {
    const end = Math.min(totalFrames, position + request.firstFrames, position + chunkFrames);
    if (missing(position, end).length > 0) {
      planned.push({ span: { startFrame: position, frameCount: end - position }, start: position, end, priority: request.firstPriority });
      pending.push([position, end]);
    }
  }
  for (let chunk = chunkOf(position, chunkFrames); chunk * chunkFrames < windowEnd; chunk++) {
    const chunkStart = chunk * chunkFrames;
    const chunkEnd = Math.min(totalFrames, chunkStart + chunkFrames);
    const from = Math.max(chunkStart, position);
    const lacking = missing(from, chunkEnd);
    if (lacking.length === 0) continue;
    if (chunk < geometry.cacheChunks || (lacking.length === 1 && lacking[0][0] === chunkStart && lacking[0][1] === chunkEnd)) {
      planned.push({ span: chunk, start: chunkStart, end: chunkEnd, priority: request.restPriority });
      pending.push([chunkStart, chunkEnd]);
    } else {
      for (const [s, e] of lacking) {
        planned.push({ span: { startFrame: s, frameCount: e - s }, start: s, end: e, priority: request.restPriority });
        pending.push([s, e]);
      }
    }
  }
  return planned;
}

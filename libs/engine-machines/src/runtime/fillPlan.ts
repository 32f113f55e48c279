import type { FrameRange } from '../buffers/StemBuffer.js';
import type { ChunkSpan, Priority } from '../ports/ChunkSource.js';
import type { Frames } from '../units.js';

export type { FrameRange } from '../buffers/StemBuffer.js';

/** One request to make: what to ask the loader for, and the frames it brings. */
export interface PlannedRequest {
  readonly span: ChunkSpan;
  readonly start: Frames;
  readonly end: Frames;
  readonly priority: Priority;
  /** Frames of playback between the play position and this request's first frame (0 = needed now). */
  readonly lead: Frames;
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
  /** Frames of playback before `position` is reached (a loop's start, a jump's target); default 0 = it plays now. */
  readonly leadOffset?: Frames;
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
 * Where a first-audio slice at `position` starts: at `position`, unless the buffer holds an
 * earlier part of the same chunk that stops short of it — then where that part ends, so the slice
 * extends it. A buffer keeps one contiguous range per chunk: a slice disjoint from that range could
 * not be kept beside it (a seek target in the chunk the playing window has half loaded).
 */
export function sliceStart(position: Frames, chunkFrames: Frames, gaps: (from: Frames, to: Frames) => readonly FrameRange[]): Frames {
  const chunkStart = chunkOf(position, chunkFrames) * chunkFrames;
  if (position === chunkStart) return position;
  const before = gaps(chunkStart, position);
  if (before.length === 0) return position; // held up to the position: nothing to extend from
  const [from, to] = before[before.length - 1];
  const heldBefore = !(before.length === 1 && from === chunkStart);
  return heldBefore && to === position ? from : position;
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
    const start = sliceStart(position, chunkFrames, request.gaps);
    const end = Math.min(totalFrames, position + request.firstFrames, start + chunkFrames);
    if (missing(position, end).length > 0) {
      planned.push({ span: { startFrame: start, frameCount: end - start }, start, end, priority: request.firstPriority, lead: request.leadOffset ?? 0 });
      pending.push([start, end]);
    }
  }
  // A request is needed when playback reaches its first lacking frame (after the first slice,
  // which is pending by now): its lead in frames becomes the loader's deadline.
  const leadOf = (frame: Frames) => Math.max(0, frame - position) + (request.leadOffset ?? 0);
  for (let chunk = chunkOf(position, chunkFrames); chunk * chunkFrames < windowEnd; chunk++) {
    const chunkStart = chunk * chunkFrames;
    const chunkEnd = Math.min(totalFrames, chunkStart + chunkFrames);
    const from = Math.max(chunkStart, position);
    const lacking = missing(from, chunkEnd);
    if (lacking.length === 0) continue;
    if (chunk < geometry.cacheChunks || (lacking.length === 1 && lacking[0][0] === chunkStart && lacking[0][1] === chunkEnd)) {
      planned.push({ span: chunk, start: chunkStart, end: chunkEnd, priority: request.restPriority, lead: leadOf(lacking[0][0]) });
      pending.push([chunkStart, chunkEnd]);
    } else {
      for (const [s, e] of lacking) {
        planned.push({ span: { startFrame: s, frameCount: e - s }, start: s, end: e, priority: request.restPriority, lead: leadOf(s) });
        pending.push([s, e]);
      }
    }
  }
  return planned;
}

import type { FrameRange } from '../buffers/StemBuffer.js';
import type { ChunkSpan, Priority } from '../ports/ChunkSource.js';
import type { Frames, Millis } from '../units.js';
import { chunkOf, fillWindow, planFill } from './fillPlan.js';
import type { PlannedRequest } from './fillPlan.js';

/*
 * The stem loader's bookkeeping as pure functions: which ranges of the stem's one buffer to keep
 * (the playing window in playback order — across a scheduled jump and a loop's wrap —, a seek
 * target loading, a position still fading out), what to ask the loader for next and by when, and
 * which requests are in flight. The machine runs the effects (loader calls, buffer writes) as
 * named actions with what these return.
 */

/** Why a request was made: filling the buffer, or warming the loader's cache (audio dropped). */
export type FetchPurpose = 'fill' | 'warm';

/** One request of a stem loader, as plain data. */
export interface FetchRequest {
  readonly id: number;
  readonly span: ChunkSpan;
  readonly start: Frames;
  readonly end: Frames;
  readonly priority: Priority;
  /** Engine clock time by which the audio is needed (Infinity: no deadline, e.g. idle work). */
  readonly deadline: Millis;
  readonly purpose: FetchPurpose;
}

/** The stem's shape and the engine's buffering settings. */
export interface StemGeometry {
  readonly sampleRate: number;
  readonly totalFrames: Frames;
  readonly chunkFrames: Frames;
  /** Chunks kept from the play position's chunk on (the rolling window N..N+bufferChunks−1). */
  readonly bufferChunks: number;
  /** Chunks the stem's buffer holds (see {@link bufferCapacityChunks}). */
  readonly capacityChunks: number;
  /** Chunks below this index are asked for whole (the loader caches whole chunks only). */
  readonly cacheChunks: number;
  /** The first-audio slice of a start or a seek. */
  readonly firstFrames: Frames;
  /** How long a seek's old position keeps sounding (the crossfade). */
  readonly fadeFrames: Frames;
}

/** A scheduled jump as the stems see it: at song frame `landing` playback leaves for `target`. */
export interface ScheduledJump {
  readonly landing: Frames;
  readonly target: Frames;
}

/** A loop that wraps: reaching `end`, playback goes back to `start`. */
export interface WrappingLoop {
  readonly start: Frames;
  readonly end: Frames;
}

/** Where the stem is read from now. */
export interface StemPositions {
  /** The playing position (or where the song will start). */
  readonly position: Frames;
  /** A seek's target whose first slice is loading, or null. */
  readonly seekTarget: Frames | null;
  /** A position still fading out after a seek landed, until the mixer releases it, or null. */
  readonly fadingFrom: Frames | null;
  /** A jump waiting for its landing frame, or null. */
  readonly jump?: ScheduledJump | null;
  /** A loop the mixer will wrap (not one released at its end), or null. */
  readonly loop?: WrappingLoop | null;
}

/** A stretch of the playback path: song frames [from, to), reached after `lead` frames of playback. */
export interface PathSegment {
  readonly from: Frames;
  readonly to: Frames;
  readonly lead: Frames;
  /** It starts at a scheduled jump's target (its first slice is asked for first). */
  readonly jumpTarget: boolean;
}

/** Requests in flight and the next request id. */
export interface RequestBook {
  readonly inFlight: readonly FetchRequest[];
  readonly nextRequestId: number;
}

/** Chunks a stem buffer must hold: the window, plus a seek target's first slice or a fading position (each may straddle two chunks). */
export function bufferCapacityChunks(bufferChunks: number): number {
  return bufferChunks + 2;
}

/** The range from `frame` to the end of the chunk holding `frame + frames − 1` (a slice and the rest of its chunk). */
function sliceRange(frame: Frames, frames: Frames, g: StemGeometry): FrameRange {
  const lastChunk = chunkOf(Math.max(frame, frame + frames - 1), g.chunkFrames);
  return [frame, Math.min(g.totalFrames, (lastChunk + 1) * g.chunkFrames)];
}

/** Chunks a range touches. */
function chunksIn([start, end]: FrameRange, chunkFrames: Frames): number {
  return end <= start ? 0 : chunkOf(end - 1, chunkFrames) - chunkOf(start, chunkFrames) + 1;
}

/** A seek target's slice and a fading position, each with the rest of its chunk(s). */
function extraRanges(g: StemGeometry, at: StemPositions): FrameRange[] {
  const ranges: FrameRange[] = [];
  if (at.seekTarget !== null) ranges.push(sliceRange(at.seekTarget, g.firstFrames, g));
  if (at.fadingFrom !== null) ranges.push(sliceRange(at.fadingFrom, g.fadeFrames, g));
  return ranges;
}

/**
 * The geometry with the playing window cut to what the buffer has room for beside the extra
 * ranges (a seek in a storm of seeks: target, fading position and window at once). The window
 * gives way first, from its far end: what plays next is kept, and the buffer never has to drop
 * a delivery it was asked for.
 */
function fitted(g: StemGeometry, at: StemPositions): StemGeometry {
  const extra = extraRanges(g, at).reduce((sum, range) => sum + chunksIn(range, g.chunkFrames), 0);
  const room = Math.max(1, Math.min(g.bufferChunks, g.capacityChunks - extra));
  return room === g.bufferChunks ? g : { ...g, bufferChunks: room };
}

/**
 * The frames the stem plays next, in playback order, from the play position: to a scheduled
 * jump's landing then from its target (a target outside the loop ends it, as in the mixer), or to
 * the loop's end then from its start (once round: after that it repeats itself), or to the song's
 * end — cut off after `chunkBudget` chunks (chunks counted per segment). A jump whose landing frame
 * has passed (it lands late, as soon as its target is there) keeps a first slice of the position
 * still playing. Pure.
 *
 * @example
 * // 1-s chunks, a loop over [1.5 s, 2.5 s) while playing 2.2 s: 2.2–2.5 s, then 1.5–2.5 s.
 * playbackPath({ totalFrames: 480_000, chunkFrames: 48_000, firstFrames: 24_000 }, { position: 105_600, seekTarget: null, fadingFrom: null, loop: { start: 72_000, end: 120_000 } }, 4);
 */
export function playbackPath(g: Pick<StemGeometry, 'totalFrames' | 'chunkFrames' | 'firstFrames'>, at: StemPositions, chunkBudget: number): PathSegment[] {
  const total = g.totalFrames;
  const segments: PathSegment[] = [];
  let from = Math.max(0, Math.min(at.position, total));
  let lead = 0;
  let used = 0;
  let jump = at.jump ?? null;
  // At its end exactly, the loop is about to wrap (the mixer wraps before anything else there).
  let loop = at.loop && at.loop.end >= from ? at.loop : null;
  let wrapped = false;
  let jumpTarget = false;
  while (used < chunkBudget && from < total) {
    let to = total;
    let next: 'jump' | 'loop' | 'end' = 'end';
    if (loop && loop.end >= from) {
      to = Math.min(total, loop.end);
      next = 'loop';
    }
    if (jump) {
      const landing = jump.landing >= from ? jump.landing : Math.min(total, from + g.firstFrames);
      if (landing <= to) {
        to = landing;
        next = 'jump';
      }
    }
    const end = Math.min(to, (chunkOf(from, g.chunkFrames) + chunkBudget - used) * g.chunkFrames);
    if (end > from) {
      segments.push({ from, to: end, lead, jumpTarget });
      used += chunksIn([from, end], g.chunkFrames);
    }
    if (end < to || next === 'end') break;
    lead += to - from;
    jumpTarget = false;
    if (next === 'jump' && jump) {
      from = jump.target;
      jumpTarget = true;
      if (loop && (from < loop.start || from >= loop.end)) loop = null;
      jump = null;
    } else if (loop && !wrapped) {
      from = loop.start;
      wrapped = true;
    } else {
      break;
    }
  }
  return segments;
}

/**
 * What the stem's buffer must keep now: the playing window along the playback path (from the
 * playing chunk's start; across a jump or a loop's wrap, so a loop's start is held before its end
 * plays), a loading seek target, a fading position.
 */
export function keptRanges(g: StemGeometry, at: StemPositions): FrameRange[] {
  const fit = fitted(g, at);
  const path = playbackPath(g, at, fit.bufferChunks);
  const window: FrameRange[] =
    path.length === 0 ? [fillWindow(at.position, fit)] : path.map((s, i): FrameRange => (i === 0 ? [chunkOf(s.from, g.chunkFrames) * g.chunkFrames, s.to] : [s.from, s.to]));
  return [...window, ...extraRanges(g, at)];
}

export interface PlanOptions {
  /** Ask for the first-audio slice at the play position first (priming). */
  readonly firstSlice: boolean;
  /** Priority of the first slice: `urgent` to play now, `idle` while preloading. */
  readonly firstPriority: Priority;
  /** Engine clock now. */
  readonly now: Millis;
  /** The buffer's gaps in a range. */
  readonly gaps: (from: Frames, to: Frames) => readonly FrameRange[];
}

const inFlightRanges = (book: RequestBook, purpose: FetchPurpose): FrameRange[] =>
  book.inFlight.filter((r) => r.purpose === purpose).map((r): FrameRange => [r.start, r.end]);

/**
 * What to ask for now, each with its deadline. A seek loading takes precedence: its target slice
 * (urgent, needed now) and the rest of the target's chunk (needed when the slice has played out);
 * meanwhile the playing position lives on what it holds (seconds ahead) rather than compete with
 * it. Otherwise the playing window along the playback path, nearest first, each request needed
 * when playback reaches it: a scheduled jump's target slice (urgent) by the landing, a loop's start
 * by the time the loop's end has played. Idle work (a preloading song) has no deadline: it runs
 * when nothing else waits. Idempotent: anything held or in flight is not asked again.
 */
export function planStemRequests(g: StemGeometry, at: StemPositions, book: RequestBook, options: PlanOptions): PlannedRequest[] {
  const inFlight = inFlightRanges(book, 'fill');
  if (at.seekTarget !== null) {
    const [, end] = sliceRange(at.seekTarget, g.firstFrames, g);
    const target = planFill(
      { ...g, bufferChunks: 1 },
      { position: at.seekTarget, firstFrames: g.firstFrames, firstPriority: 'urgent', restPriority: 'urgent', gaps: options.gaps, inFlight },
    );
    return target.filter((p) => p.start < end);
  }
  // The window along the playback path: a scheduled jump's target (its first slice urgent, needed
  // at the landing) and a loop's start are asked for like the chunks ahead, by when they play.
  const idle = options.firstPriority === 'idle';
  const restPriority: Priority = idle ? 'idle' : 'normal';
  const planned: PlannedRequest[] = [];
  const pending: FrameRange[] = [...inFlight];
  playbackPath(g, at, fitted(g, at).bufferChunks).forEach((segment, i) => {
    const firstFrames = i === 0 ? (options.firstSlice ? g.firstFrames : 0) : segment.jumpTarget ? g.firstFrames : 0;
    const part = planFill(
      { totalFrames: segment.to, chunkFrames: g.chunkFrames, bufferChunks: chunksIn([segment.from, segment.to], g.chunkFrames), cacheChunks: g.cacheChunks },
      {
        position: segment.from,
        firstFrames,
        firstPriority: i === 0 ? options.firstPriority : idle ? 'idle' : 'urgent',
        restPriority,
        gaps: options.gaps,
        inFlight: pending,
        leadOffset: segment.lead,
      },
    );
    for (const p of part) {
      planned.push(p);
      pending.push([p.start, p.end]);
    }
  });
  return planned;
}

/** The deadline of a planned request: now plus the playback time until it is needed; none for idle work. */
export function deadlineOf(planned: PlannedRequest, g: StemGeometry, now: Millis): Millis {
  if (planned.priority === 'idle') return Number.POSITIVE_INFINITY;
  return now + (planned.lead / g.sampleRate) * 1000;
}

/** Adds planned requests to the book; returns the new book and the requests to send. */
export function issueRequests(book: RequestBook, planned: readonly PlannedRequest[], g: StemGeometry, now: Millis, purpose: FetchPurpose = 'fill'): { book: RequestBook; sent: FetchRequest[] } {
  let id = book.nextRequestId;
  const sent = planned.map(
    (p): FetchRequest => ({ id: id++, span: p.span, start: p.start, end: p.end, priority: p.priority, deadline: deadlineOf(p, g, now), purpose }),
  );
  return { book: { inFlight: [...book.inFlight, ...sent], nextRequestId: id }, sent };
}

/** The book without request `id` (delivered, failed or cancelled). */
export function settleRequest(book: RequestBook, id: number): RequestBook {
  return { ...book, inFlight: book.inFlight.filter((r) => r.id !== id) };
}

/** The book once every request was withdrawn from the loader. */
export function withdrawAll(book: RequestBook): RequestBook {
  return { ...book, inFlight: [] };
}

/** Is a request still worth its audio: does it touch a range the buffer keeps? */
export function isWanted(request: FetchRequest, kept: readonly FrameRange[]): boolean {
  return request.purpose === 'fill' && kept.some(([s, e]) => request.start < e && request.end > s);
}

/** Requests for the playing window that a seek makes moot (all but urgent ones), to withdraw when it starts loading. */
export function mootBySeek(book: RequestBook): boolean {
  return book.inFlight.some((r) => r.priority !== 'urgent');
}

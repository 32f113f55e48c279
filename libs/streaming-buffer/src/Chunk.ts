import type { ChunkIndex, Frames } from './units.js';

/**
 * Decoded PCM handed to {@link StreamingBuffer.pushChunk}: a whole chunk, or a slice of one (a
 * first-audio slice, the frames from a seek position on), or a span reaching into the next chunk.
 * The buffer copies the samples; the arrays stay the caller's.
 */
export interface Chunk {
  /** The chunk holding `startFrame` (checked against the buffer's grid). */
  readonly index: ChunkIndex;
  /** Position of the first frame in the stem. */
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  /** Planar: one array per channel of the stem, each at least `frameCount` long. */
  readonly channelData: readonly Float32Array[];
}

/**
 * What happened to the part of a pushed chunk that falls into one chunk of the grid.
 * - `stored`: written into a free slot, or into the slot of the chunk in `evicted`.
 * - `merged`: overlapped or touched what the chunk's slot held; the slot now holds the union.
 * - `replaced`: the slot held a disjoint slice of the same chunk that playback reaches later; it was overwritten.
 * - `duplicate`: every frame was already held.
 * - `behind`: wholly before the play position; dropped.
 * - `no-room`: every slot holds a chunk nearer to the play position; dropped (request it again later).
 * - `disjoint`: the slot holds a disjoint slice of the same chunk that playback reaches first; dropped.
 */
export type PushOutcome = 'stored' | 'merged' | 'replaced' | 'duplicate' | 'behind' | 'no-room' | 'disjoint';

/** One grid chunk's share of a push. */
export interface PushPart {
  readonly index: ChunkIndex;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly outcome: PushOutcome;
  /** The chunk dropped to make room, if any. */
  readonly evicted: ChunkIndex | null;
}

/** The report of one {@link StreamingBuffer.pushChunk}. */
export interface PushResult {
  /** True when every frame of the pushed chunk is in the buffer afterwards. */
  readonly held: boolean;
  /** One per grid chunk the pushed frames fall into, in order (none for an empty chunk). */
  readonly parts: readonly PushPart[];
}

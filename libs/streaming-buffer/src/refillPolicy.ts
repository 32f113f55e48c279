import { chunkCount, chunkIndexAt, chunkLength } from './chunkGrid.js';
import type { ChunkGrid } from './chunkGrid.js';
import type { ChunkIndex, Frames } from './units.js';

/** The frames of a chunk that a buffer holds, relative to the chunk's first frame. */
export interface HeldRange {
  readonly validStart: Frames;
  readonly validEnd: Frames;
}

/**
 * The plan's refill rule, generalised: while chunk N plays, chunks N..N+lookahead−1 (clipped to
 * the stem) should be held — with the default lookahead of 4, chunks N..N+3, so there is always
 * more than 15 s (3 whole 5 s chunks) ahead of the play position.
 *
 * Returns the chunks of that window that are not held completely, nearest first, which is the
 * order a loader should request them in. Chunk N counts as complete when it holds everything from
 * `position` to its end (frames already played are not wanted back); a partial chunk (a
 * first-audio slice) is still wanted. Empty past the end of the stem.
 *
 * @example
 * ```ts
 * const grid = { chunkFrames: 240_000, totalFrames: 17_280_000 }; // 5 s chunks, 6 min at 48 kHz
 * const held = new Map([[2, { validStart: 0, validEnd: 240_000 }]]);
 * wantedChunks(500_000, 4, grid, (i) => held.get(i)); // → [3, 4, 5]: chunk 2 plays and is complete
 * ```
 */
export function wantedChunks(
  position: Frames,
  lookaheadChunks: number,
  grid: ChunkGrid,
  held: (index: ChunkIndex) => HeldRange | undefined,
): ChunkIndex[] {
  const wanted: ChunkIndex[] = [];
  const from = position > 0 ? position : 0;
  if (from >= grid.totalFrames) return wanted;
  const playing = chunkIndexAt(from, grid);
  const end = Math.min(playing + lookaheadChunks, chunkCount(grid));
  for (let index = playing; index < end; index++) {
    const neededFrom = index === playing ? from - playing * grid.chunkFrames : 0;
    const range = held(index);
    const complete = range !== undefined && range.validStart <= neededFrom && range.validEnd >= chunkLength(index, grid);
    if (!complete) wanted.push(index);
  }
  return wanted;
}

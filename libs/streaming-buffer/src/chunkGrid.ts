import type { ChunkIndex, Frames } from './units.js';

/** How a stem is cut into chunks: chunk `i` covers `[i × chunkFrames, (i + 1) × chunkFrames)`, clipped to the stem. */
export interface ChunkGrid {
  readonly chunkFrames: Frames;
  /** `Infinity` when unknown. */
  readonly totalFrames: Frames;
}

/** The chunk holding frame `position` (≥ 0). */
export function chunkIndexAt(position: Frames, grid: ChunkGrid): ChunkIndex {
  return Math.floor(position / grid.chunkFrames);
}

/** Frames in chunk `index`: `chunkFrames`, except the stem's last chunk, which may be shorter. */
export function chunkLength(index: ChunkIndex, grid: ChunkGrid): Frames {
  const start = index * grid.chunkFrames;
  const left = grid.totalFrames - start;
  return left < grid.chunkFrames ? Math.max(0, left) : grid.chunkFrames;
}

/** Chunks in the stem (`Infinity` when its length is unknown). */
export function chunkCount(grid: ChunkGrid): number {
  return grid.totalFrames === Infinity ? Infinity : Math.ceil(grid.totalFrames / grid.chunkFrames);
}

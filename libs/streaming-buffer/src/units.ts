/** A count or position of sample frames (one sample per channel), per channel. */
export type Frames = number;
/** A duration in seconds. */
export type Seconds = number;
/** The position of a chunk in a stem: chunk `i` covers frames `[i × chunkFrames, (i + 1) × chunkFrames)`. */
export type ChunkIndex = number;

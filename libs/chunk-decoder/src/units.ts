/** A count or position of sample frames (one sample per channel), per channel. */
export type Frames = number;
/** A duration or position in seconds. */
export type Seconds = number;
/** A position in bytes from the start of a file. */
export type ByteOffset = number;

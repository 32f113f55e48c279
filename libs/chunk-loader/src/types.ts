/** A count or position of sample frames (one sample per channel), per channel, at the output rate. */
export type Frames = number;
/** A duration in milliseconds (wall clock, from `performance.now()`). */
export type Millis = number;

/**
 * How soon a request must be served.
 * - `urgent`: first audio and user seeks; served before anything else.
 * - `normal`: buffering ahead of the play position.
 * - `idle`: preloading the next song, cache write-back; only when nothing else waits.
 */
export type Priority = 'urgent' | 'normal' | 'idle';

/** Highest first: the order in which the scheduler serves queues. */
export const PRIORITIES: readonly Priority[] = ['urgent', 'normal', 'idle'];

/** Names one stem of one song. */
export interface StemRef {
  readonly song: string;
  readonly stem: string;
}

/** A stem to open: its identity plus the FLAC file it plays. */
export interface StemSource extends StemRef {
  readonly path: string;
}

/** What `openStem` learned from the file's headers (no audio decoded). */
export interface StemInfo extends StemSource {
  /** Sample rate of the file. */
  readonly sampleRate: number;
  /** Sample rate of delivered PCM (the file's rate unless resampling was asked for). */
  readonly outputSampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Per channel, at the output rate. */
  readonly totalFrames: Frames;
  /** Frames per whole chunk at the output rate (chunkSeconds × outputSampleRate). */
  readonly chunkFrames: Frames;
  readonly totalChunks: number;
  /** STREAMINFO MD5 of the source, lowercase hex: identifies the audio for the cache. */
  readonly md5: string;
}

/**
 * What to load: a whole chunk by index, or a slice of at most one chunk's length
 * (e.g. the first 0.5 s for first audio, or the frames from a seek position to the chunk end).
 */
export type ChunkSpan = number | { readonly startFrame: Frames; readonly frameCount: Frames };

/** A problem the decoder met but recovered from (bad CRC, lost sync...); the audio is still delivered. */
export interface ChunkIssue {
  readonly kind: string;
  readonly frame: number;
  readonly sampleOffset: Frames;
  readonly message: string;
}

/** A delivered chunk or slice of PCM. */
export interface LoadedChunk extends StemRef {
  /** The chunk containing `startFrame`. */
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  /** Planar, one array per channel, each `frameCount` long. Ownership passes to the receiver. */
  readonly channelData: Float32Array[];
  readonly sampleRate: number;
  readonly from: 'cache' | 'decode';
  readonly errors: readonly ChunkIssue[];
  /** The stem's generation when this was requested (see `ChunkLoader.cancel`). */
  readonly generation: number;
  readonly timing: {
    /** From `request()` to the start of the work. */
    readonly queuedMs: Millis;
    /** From the start of the work to delivery (cache read or decode, retries included). */
    readonly loadMs: Millis;
  };
}

/** Selects requests to cancel; every given field must match, an empty filter matches all. */
export interface CancelFilter {
  readonly song?: string;
  readonly stem?: string;
  readonly priority?: Priority;
}

/** Key of a stem in maps; JSON so that no pair of IDs can collide, whatever characters they hold. */
export function stemKey(ref: StemRef): string {
  return JSON.stringify([ref.song, ref.stem]);
}

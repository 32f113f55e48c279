import type { Frames } from '../units.js';

/**
 * The loader port: the part of `@trax/chunk-loader`'s `ChunkLoader` the engine uses (contracts.md),
 * declared here so the engine can run over a fake in tests. A real `ChunkLoader` satisfies it as is.
 * Every method is called on the engine's (control) thread.
 */
export interface ChunkSource {
  /** Reads a stem's headers (no audio) and makes it requestable. */
  openStem(source: StemSource): Promise<StemInfo>;
  /**
   * Loads a whole chunk (index) or a slice of at most one chunk; rejects with a cancellation error
   * when cancelled. `deadline`: the clock time (ms, the engine's clock) by which the audio is
   * needed; the loader serves the earliest deadline first (none: by priority and age).
   */
  request(ref: StemRef, span: ChunkSpan, priority: Priority, deadline?: number): Promise<LoadedChunk>;
  /** Withdraws matching requests (queued dropped, in-flight made stale); returns how many. */
  cancel(filter: CancelFilter): number;
  /** Cancels every request of `song` and releases its decoders and file handles. */
  closeSong(song: string): Promise<void>;
}

/** `urgent`: first audio and seeks; `normal`: buffering ahead; `idle`: preloading and cache warming. */
export type Priority = 'urgent' | 'normal' | 'idle';

export interface StemRef {
  readonly song: string;
  readonly stem: string;
}

export interface StemSource extends StemRef {
  readonly path: string;
}

/** What the loader learned from a stem's headers. */
export interface StemInfo extends StemSource {
  readonly sampleRate: number;
  /** Rate of delivered PCM; must equal the engine's output rate. */
  readonly outputSampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Per channel, at the output rate. */
  readonly totalFrames: Frames;
  readonly chunkFrames: Frames;
  readonly totalChunks: number;
  readonly md5: string;
}

/** A whole chunk by index, or a slice of at most one chunk's length. */
export type ChunkSpan = number | { readonly startFrame: Frames; readonly frameCount: Frames };

export interface CancelFilter {
  readonly song?: string;
  readonly stem?: string;
  readonly priority?: Priority;
}

/** Delivered PCM; `channelData` (planar) passes to the receiver. */
export interface LoadedChunk extends StemRef {
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly channelData: Float32Array[];
  readonly sampleRate: number;
  readonly from: 'cache' | 'decode';
  readonly errors: readonly { readonly kind: string; readonly message: string }[];
  readonly timing: { readonly queuedMs: number; readonly loadMs: number };
}

/**
 * True when `error` is the loader withdrawing a request (a seek superseded it, the song closed,
 * the loader stopped): expected, not a failure. Checked by name because the loader's error classes
 * (`CancelledError` and its subclass `LoaderStoppedError`) may come from another realm (a worker).
 */
export function isCancellation(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CancelledError' || error.name === 'LoaderStoppedError');
}

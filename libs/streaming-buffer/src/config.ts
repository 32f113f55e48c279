import { BufferConfigError } from './errors.js';
import type { Frames } from './units.js';

/** The plan's rolling window: chunks N..N+3 while chunk N plays (4 × 5 s = 20 s per stem). */
export const DEFAULT_BUFFER_CHUNKS = 4;

/**
 * Positions and lengths are kept in an Int32Array slot table (so the table can be shared with an
 * AudioWorklet through a SharedArrayBuffer): 2^31 − 1 frames ≈ 12.4 h at 48 kHz is the limit.
 */
export const MAX_FRAMES: Frames = 0x7fff_ffff;

/** How to build a {@link StreamingBuffer}. */
export interface StreamingBufferOptions {
  /** Channels of the stem (1 = mono, 2 = stereo, any N ≥ 1). */
  readonly channels: number;
  /** Sample rate of the PCM pushed in; only used to express the fill level in seconds. */
  readonly sampleRate: number;
  /** Frames per whole chunk, e.g. 240 000 = 5 s at 48 kHz. Chunk `i` starts at `i × chunkFrames`. */
  readonly chunkFrames: Frames;
  /** Chunks held at most (the memory bound); default 4. */
  readonly bufferChunks?: number;
  /** Chunks wanted from the playing one on (N..N+lookahead−1); default `bufferChunks`, at most `bufferChunks`. */
  readonly lookaheadChunks?: number;
  /** Length of the stem when known: frames from here on read as silence that is not missing. */
  readonly totalFrames?: Frames;
  /** Put the storage in a SharedArrayBuffer so an AudioWorklet can read it; default false. */
  readonly shared?: boolean;
}

/** Options with defaults applied and every value checked. */
export interface BufferConfig {
  readonly channels: number;
  readonly sampleRate: number;
  readonly chunkFrames: Frames;
  readonly bufferChunks: number;
  readonly lookaheadChunks: number;
  /** `Infinity` when unknown. */
  readonly totalFrames: Frames;
  readonly shared: boolean;
}

/** Applies defaults and checks every option; throws {@link BufferConfigError} on the first bad one. */
export function resolveConfig(options: StreamingBufferOptions): BufferConfig {
  const bufferChunks = options.bufferChunks ?? DEFAULT_BUFFER_CHUNKS;
  const lookaheadChunks = options.lookaheadChunks ?? bufferChunks;
  const totalFrames = options.totalFrames ?? Infinity;
  requireInteger('channels', options.channels, 1, 1024);
  if (!(options.sampleRate > 0 && Number.isFinite(options.sampleRate))) {
    throw new BufferConfigError('sampleRate', options.sampleRate, 'a positive number of frames per second');
  }
  requireInteger('chunkFrames', options.chunkFrames, 1, MAX_FRAMES);
  requireInteger('bufferChunks', bufferChunks, 1, 1024);
  requireInteger('lookaheadChunks', lookaheadChunks, 1, bufferChunks);
  if (totalFrames !== Infinity) requireInteger('totalFrames', totalFrames, 0, MAX_FRAMES);
  if (options.shared && typeof SharedArrayBuffer !== 'function') {
    throw new BufferConfigError(
      'shared',
      true,
      'false here: SharedArrayBuffer is unavailable (a browser page needs the COOP/COEP headers to be cross-origin isolated)',
    );
  }
  // One slot's samples must stay addressable by an Int32 and allocatable in one typed array.
  requireInteger('bufferChunks × channels × chunkFrames', bufferChunks * options.channels * options.chunkFrames, 1, 2 ** 30);
  return {
    channels: options.channels,
    sampleRate: options.sampleRate,
    chunkFrames: options.chunkFrames,
    bufferChunks,
    lookaheadChunks,
    totalFrames,
    shared: options.shared ?? false,
  };
}

function requireInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BufferConfigError(option, value, `an integer from ${min} to ${max}`);
  }
}

import type { ChunkIndex, Frames } from './units.js';

/**
 * The buffer was configured with values it cannot work with (control thread, at construction).
 *
 * @example
 * ```ts
 * try { new StreamingBuffer({ channels: 0, sampleRate: 48_000, chunkFrames: 240_000 }); }
 * catch (e) { if (e instanceof BufferConfigError) console.error(e.option, e.value); }
 * ```
 */
export class BufferConfigError extends Error {
  override readonly name = 'BufferConfigError';

  constructor(
    /** The option that was refused, e.g. `chunkFrames`. */
    readonly option: string,
    readonly value: unknown,
    /** What the option must be, e.g. `an integer from 1 to 2147483647`. */
    readonly requirement: string,
  ) {
    super(`streaming buffer option ${option} = ${String(value)} is invalid: it must be ${requirement}`);
  }
}

/** Where a refused chunk claimed to belong. */
export interface ChunkContext {
  readonly index: ChunkIndex;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly channels: number;
}

/**
 * `pushChunk` was given a chunk that does not fit this buffer's grid or format — a bug in the
 * producer (loader or decoder configured for another chunk size or channel count), never a
 * condition of normal playback. Thrown on the control thread only; the audio thread never sees it.
 *
 * @example
 * ```ts
 * try { buffer.pushChunk(chunk); }
 * catch (e) { if (e instanceof InvalidChunkError) log.error(e.message, { index: e.index }); }
 * ```
 */
export class InvalidChunkError extends Error {
  override readonly name = 'InvalidChunkError';
  readonly index: ChunkIndex;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly channels: number;

  constructor(
    context: ChunkContext,
    /** What is wrong, e.g. `starts in chunk 3, not 2`. */
    readonly problem: string,
  ) {
    super(
      `chunk ${context.index} (frames ${context.startFrame}..${context.startFrame + context.frameCount}, ` +
        `${context.channels} channel(s)) was refused: ${problem}`,
    );
    this.index = context.index;
    this.startFrame = context.startFrame;
    this.frameCount = context.frameCount;
    this.channels = context.channels;
  }
}

/**
 * A buffer given to {@link BufferReader.fromBuffer} is not a streaming-buffer storage (wrong size,
 * magic number or layout version): the worklet was handed the wrong object.
 */
export class StorageLayoutError extends Error {
  override readonly name = 'StorageLayoutError';

  constructor(
    /** Byte length of the buffer that was refused. */
    readonly byteLength: number,
    readonly problem: string,
  ) {
    super(`not a streaming-buffer storage (${byteLength} bytes): ${problem}`);
  }
}

/**
 * `advanceTo` or `seekToChunk` was given something that is not a frame position or chunk index
 * (NaN, a fraction, a negative index) — a bug in the caller's clock arithmetic. Control thread only.
 *
 * @example
 * ```ts
 * try { buffer.advanceTo(seconds * rate); } // fractional if seconds is not a multiple of 1 / rate
 * catch (e) { if (e instanceof InvalidPositionError) buffer.advanceTo(Math.round(e.value)); }
 * ```
 */
export class InvalidPositionError extends Error {
  override readonly name = 'InvalidPositionError';

  constructor(
    /** The method that refused it, e.g. `advanceTo`. */
    readonly method: string,
    readonly value: number,
    readonly requirement: string,
  ) {
    super(`${method}(${value}) was refused: the argument must be ${requirement}`);
  }
}

import type { Frames } from '../units.js';
import type { PcmReader } from './PcmReader.js';

/**
 * A stem's buffer of decoded audio: written by the control thread as chunks arrive, read by the
 * mixer on the audio thread (the {@link PcmReader} half). The default is an adapter over
 * `@trax/streaming-buffer`; {@link SegmentBuffer} is a simple stand-in for tests.
 */
export interface StemBuffer extends PcmReader {
  readonly channels: number;
  /** Control thread: adds delivered PCM from `startFrame` (ownership of the arrays passes to the buffer). */
  push(startFrame: Frames, channelData: Float32Array[]): void;
  /** Control thread: drops everything (a seek reuses the buffer for another position). */
  clear(): void;
  /** Control thread: drops everything and gives back its memory (the buffer set is no longer used). */
  release(): void;
  /** Control thread: drops data lying wholly outside [from, to) (memory stays bounded as playback moves on). */
  retain(from: Frames, to: Frames): void;
  /** Control thread: the sub-ranges of [from, to) not held, in order. */
  gaps(from: Frames, to: Frames): Array<readonly [Frames, Frames]>;
  /** Bytes of memory the buffer holds now (for a preallocating buffer: its slots, full or not). */
  readonly bytes: number;
  /** Frames held (per channel). */
  readonly heldFrames: Frames;
}

/** What a buffer is created for. */
export interface StemBufferSpec {
  readonly channels: number;
  readonly totalFrames: Frames;
  readonly chunkFrames: Frames;
  /** Chunks it must be able to hold at once (the engine's buffer chunks, plus one arriving). */
  readonly capacityChunks: number;
}

/** Port: makes the buffers of a stem (one per buffer set). Control thread. */
export type StemBufferFactory = (spec: StemBufferSpec) => StemBuffer;

import type { StemPcmSource } from '../realtime/SongRegistration.js';
import type { Frames } from '../units.js';

/** A frame range [start, end). */
export type FrameRange = readonly [Frames, Frames];

/**
 * A stem's window of decoded audio: one block of memory, allocated when the buffer is made and
 * handed to the mixer once ({@link StemBuffer.pcm}), written by the control thread as chunks
 * arrive and read by the mixer wherever it runs. Every play position of the stem (the playing
 * one, a seek or jump target loading, a fading one) reads the same buffer; the control thread
 * says which ranges to keep. The default is {@link StreamingStemBuffer} over `@trax/streaming-buffer`.
 */
export interface StemBuffer {
  readonly channels: number;
  /** The memory the mixer reads (a SharedArrayBuffer when the mixer runs on another thread). */
  readonly pcm: StemPcmSource;
  /**
   * Control thread: copies delivered PCM in — the parts that touch a kept range and fit (the
   * caller keeps no more ranges than the buffer holds). Frames outside are dropped.
   */
  push(startFrame: Frames, channelData: readonly Float32Array[]): void;
  /** Control thread: the ranges to keep from now on; data lying wholly outside them is freed. */
  retain(ranges: readonly FrameRange[]): void;
  /** Control thread: the sub-ranges of [from, to) not held, in order. */
  gaps(from: Frames, to: Frames): FrameRange[];
  /** Any thread: frames of real data held contiguously from `position` (0 when none). */
  framesAvailableAt(position: Frames): Frames;
  /** Chunks it holds at most. */
  readonly capacityChunks: number;
  /** Bytes of memory the buffer holds (its slots, full or not). */
  readonly bytes: number;
  /** Frames held now (per channel). */
  readonly heldFrames: Frames;
}

/** What a buffer is made for. */
export interface StemBufferSpec {
  readonly channels: number;
  readonly totalFrames: Frames;
  /** The loader's chunk: the unit in which audio arrives and is kept. */
  readonly chunkFrames: Frames;
  /** Chunks it holds at once. */
  readonly capacityChunks: number;
  /** Put the memory in a SharedArrayBuffer (the mixer runs on another thread). */
  readonly shared: boolean;
}

/** Port: makes a stem's buffer. Control thread. */
export type StemBufferFactory = (spec: StemBufferSpec) => StemBuffer;

import type { ChunkIssue, Frames } from '../types.js';

/** Planar float PCM as the decoder and the chunk store hand it over. */
export interface PcmBlock {
  /** One array per channel, each `frameCount` long. */
  readonly channelData: Float32Array[];
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  /** Output rate. */
  readonly sampleRate: number;
  readonly errors: readonly ChunkIssue[];
}

/** How decoders are opened; the same for every stem of a loader. */
export interface DecoderOptions {
  /** Seconds per chunk (default 5). */
  readonly chunkSeconds?: number;
  /** Resample to this rate (default: the file's own rate). */
  readonly outputSampleRate?: number;
  readonly resampleQuality?: 'fastest' | 'medium' | 'best';
}

/**
 * Port: one open stem that can decode chunks. `@trax/chunk-decoder`'s `ChunkDecoder` satisfies it;
 * tests use synthetic ones. One instance serves one thread; it is reused for every chunk of the stem.
 */
export interface StemDecoder {
  readonly sampleRate: number;
  readonly outputSampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Per channel, at the output rate. */
  readonly totalFrames: Frames;
  readonly chunkFrames: Frames;
  readonly md5: string;
  totalChunks(): number;
  decodeChunk(index: number): Promise<PcmBlock>;
  decodeRange(startFrame: Frames, frameCount: Frames): Promise<PcmBlock>;
  close(): Promise<void>;
}

/** Opens a decoder for a file (reads its headers only). */
export type DecoderFactory = (path: string, options: DecoderOptions) => Promise<StemDecoder>;

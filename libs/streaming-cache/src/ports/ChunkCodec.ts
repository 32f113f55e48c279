/** The format the chunk files of one entry are written in. */
export interface ChunkFormat {
  readonly sampleRate: number;
  /** Bits per sample in the file. */
  readonly bitDepth: number;
}

/** A decoded chunk file, with what its own header says, to be checked against metadata.json. */
export interface DecodedChunkFile {
  /** Planar, float = int / 2^(bitDepth−1). */
  readonly channelData: Float32Array[];
  readonly frameCount: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  /** Problems the decoder recovered from (CRC mismatch, lost sync, truncation): any one means a damaged file. */
  readonly problems: readonly string[];
}

/**
 * Port: how a chunk's integer PCM becomes file bytes and back. The default, `flacChunkCodec`,
 * writes standalone FLAC files with `@trax/flac-encoder` and reads them with `@trax/chunk-decoder`.
 * Called on the cache's thread.
 */
export interface ChunkCodec {
  encode(channels: Int32Array[], format: ChunkFormat): Uint8Array;
  /**
   * Decodes the whole file, or with `range` only frames [startFrame, startFrame + frameCount) of it
   * (decoding no more of the file than those frames need). Rejects when the bytes are not a
   * readable file; `name` is for messages.
   */
  decode(bytes: Uint8Array, name: string, range?: FrameRange): Promise<DecodedChunkFile>;
}

/** Frames of one chunk file, counted from its start. */
export interface FrameRange {
  readonly startFrame: number;
  readonly frameCount: number;
}

import type { ByteSource } from './byteSource.js';
import { FlacFormatError, UnsupportedFlacError } from './errors.js';
import { readFlacMetadata } from './flacMetadata.js';
import { openFlacStream } from './flacStream.js';
import type { Frames, Seconds } from './units.js';

/** What `trax info` prints for a FLAC file. */
export interface FlacDescription {
  /** File path or source label. */
  readonly name: string;
  readonly bytes: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Per channel, at the file's rate: STREAMINFO's total, or the last frame's end when that is 0 or too small. */
  readonly totalFrames: Frames;
  readonly durationSeconds: Seconds;
  /** STREAMINFO MD5 of the decoded audio, lowercase hex. */
  readonly md5: string;
  readonly seekPoints: number;
  readonly minBlockSize: Frames;
  readonly maxBlockSize: Frames;
  /** Whether `ChunkDecoder.open()` accepts it; if not, `reason` says why (the error's message). */
  readonly supported: boolean;
  readonly reason?: string;
}

/**
 * Describes a FLAC file from its headers (metadata, first frame header, a bounded tail) without
 * decoding audio — the data behind `trax info`. Unreadable files throw {@link FlacFormatError};
 * readable but refused ones come back with `supported: false` and the reason.
 * The source is left open (a file by path: `describeFlacFile` from `@trax/chunk-decoder/node`).
 *
 * @example
 * ```ts
 * const info = await describeFlac(memorySource(bytes, 'bass.flac'));
 * console.log(`${info.sampleRate} Hz, ${info.bitDepth}-bit, ${info.durationSeconds.toFixed(1)} s`,
 *   info.supported ? '' : `(unsupported: ${info.reason})`);
 * ```
 */
export async function describeFlac(bytes: ByteSource): Promise<FlacDescription> {
  const metadata = await readFlacMetadata(bytes);
  const info = metadata.streamInfo;
  let totalFrames = info.totalSamples;
  let supported = true;
  let reason: string | undefined;
  try {
    totalFrames = (await openFlacStream(bytes)).totalSamples;
  } catch (error) {
    if (!(error instanceof UnsupportedFlacError || error instanceof FlacFormatError)) throw error;
    supported = false;
    reason = error.message;
  }
  return {
    name: bytes.name,
    bytes: bytes.size,
    sampleRate: info.sampleRate,
    channels: info.channels,
    bitDepth: info.bitsPerSample,
    totalFrames,
    durationSeconds: totalFrames / info.sampleRate,
    md5: info.md5,
    seekPoints: metadata.seekPoints.length,
    minBlockSize: info.minBlockSize,
    maxBlockSize: info.maxBlockSize,
    supported,
    ...(reason === undefined ? {} : { reason }),
  };
}

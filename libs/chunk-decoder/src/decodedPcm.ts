import type { Frames } from './units.js';

/** Why some samples of a decoded range are silence or missing. */
export type DecodeIssueKind = 'crc' | 'decode' | 'truncated' | 'lost-sync';

/**
 * A problem met while decoding a range. The samples it covers are silence (`crc`, `decode`,
 * `lost-sync`) or absent at the end of the result (`truncated`); the rest of the range is intact.
 */
export interface DecodeIssue {
  kind: DecodeIssueKind;
  /** The FLAC frame's number; in streams that number frames by sample (variable block size), −1. */
  frame: number;
  /** First affected sample frame, absolute in the stream, at the output rate. */
  sampleOffset: Frames;
  message: string;
}

/** A decoded range: planar float PCM at the output rate. */
export interface DecodedPcm {
  /** One array per channel, each `frameCount` long; integer s at bit depth b is s / 2^(b−1) exactly (before resampling). */
  channelData: Float32Array[];
  /** First frame, absolute, at the output rate. */
  startFrame: Frames;
  /** Frames delivered: the requested count, or fewer if the file is truncated. */
  frameCount: Frames;
  /** The output sample rate. */
  sampleRate: number;
  errors: DecodeIssue[];
}

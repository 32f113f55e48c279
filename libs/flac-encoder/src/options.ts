import { FlacEncodeError } from './FlacEncodeError.js';
import type { Md5Factory } from './md5.js';

/** Options of `encodeFlac` (and, with `channels`, of `FlacStreamEncoder`). */
export interface FlacEncodeOptions {
  /** Hz, 1..655350. */
  sampleRate: number;
  /** 8..24 (16 and 24 are the ones that matter). */
  bitsPerSample: number;
  /** Frames (samples per channel) per FLAC frame, 16..65535; default 4096 (85 ms at 48 kHz, what `flac -5` uses). */
  blockSize?: number;
  /** Bytes of PADDING metadata to add (default 0). */
  padding?: number;
  /**
   * Adds a SEEKTABLE with a point at the frame holding every multiple of this many seconds
   * (like `flac -S 10s`, the reference encoder's default). Omit for no SEEKTABLE.
   */
  seekPointIntervalSeconds?: number;
  /**
   * How the STREAMINFO MD5 is computed: default a JS MD5 that runs anywhere (browsers and workers
   * included); in Node pass `nodeMd5` from `@trax/flac-encoder/node` (~2 ms instead of ~16 ms per
   * 5 s of 48 kHz 24-bit stereo). The output is the same byte for byte.
   */
  md5?: Md5Factory;
}

export const DEFAULT_BLOCK_SIZE = 4096;

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly blockSize: number;
  readonly padding: number;
  readonly channels: number;
  /** 0 = no SEEKTABLE. */
  readonly seekPointInterval: number;
}

export function resolveOptions(options: FlacEncodeOptions, channels: number): ResolvedOptions {
  const { sampleRate, bitsPerSample, blockSize = DEFAULT_BLOCK_SIZE, padding = 0, seekPointIntervalSeconds } = options;
  const check = (ok: boolean, option: string, message: string) => {
    if (!ok) throw new FlacEncodeError(option, message);
  };
  check(Number.isInteger(channels) && channels >= 1 && channels <= 8, 'channels', `FLAC carries 1..8 channels, got ${channels}`);
  check(Number.isInteger(sampleRate) && sampleRate >= 1 && sampleRate <= 655350, 'sampleRate', `sampleRate must be an integer 1..655350 Hz, got ${sampleRate}`);
  check(Number.isInteger(bitsPerSample) && bitsPerSample >= 8 && bitsPerSample <= 24, 'bitsPerSample', `bitsPerSample must be 8..24, got ${bitsPerSample}`);
  check(Number.isInteger(blockSize) && blockSize >= 16 && blockSize <= 65535, 'blockSize', `blockSize must be 16..65535 frames, got ${blockSize}`);
  check(Number.isInteger(padding) && padding >= 0 && padding < 2 ** 24, 'padding', `padding must be 0..16777215 bytes, got ${padding}`);
  let seekPointInterval = 0;
  if (seekPointIntervalSeconds !== undefined) {
    check(seekPointIntervalSeconds > 0, 'seekPointIntervalSeconds', `seekPointIntervalSeconds must be > 0, got ${seekPointIntervalSeconds}`);
    seekPointInterval = Math.max(1, Math.round(seekPointIntervalSeconds * sampleRate));
  }
  return { sampleRate, bitsPerSample, blockSize, padding, channels, seekPointInterval };
}

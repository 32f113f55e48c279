import type { Frames, Seconds } from '../units.js';

/** What reading a stem's headers and decoding a frame in its middle and at its end found. */
export interface StemFacts {
  readonly ok: true;
  /** The file's own rate (the engine resamples to its output rate). */
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Length at the file's rate, as its STREAMINFO says. */
  readonly frames: Frames;
  /** Size in bytes. */
  readonly bytes: number;
  /** STREAMINFO MD5, lowercase hex (the cache's identity of the audio). */
  readonly md5: string;
  /** Where the audio really ends, at the file's rate: less than `frames` when the file is truncated. */
  readonly presentFrames: Frames;
  /** Frames that failed to decode (bad CRC, undecodable, lost sync) in the probed ranges. */
  readonly corruptFrames: readonly CorruptFrame[];
}

/** A FLAC frame that did not decode: silence where it should be audio. */
export interface CorruptFrame {
  /** First affected sample frame within the probed range, at the file's rate. */
  readonly at: Frames;
  readonly message: string;
}

/** Why a stem cannot be probed at all. */
export type StemProbeFailureKind = 'missing-file' | 'unreadable-file' | 'not-flac' | 'unsupported-format';

export interface StemProbeFailure {
  readonly ok: false;
  readonly kind: StemProbeFailureKind;
  /** Names the file or URL and the problem. */
  readonly message: string;
}

export type StemProbe = StemFacts | StemProbeFailure;

/**
 * Port: reads a stem's headers and decodes a frame in the middle and at the end. Never throws for
 * a bad stem: a file that cannot be read is a {@link StemProbeFailure}. `location` is an absolute
 * path or an http(s) URL. Node: `nodeStemProber` (`@trax/engine-machines/node`).
 */
export interface StemProber {
  probe(location: string): Promise<StemProbe>;
}

/** One stem as the cache knows it: ids, source identity and layout at the engine's rate. */
export interface CoverageQuery {
  readonly song: string;
  readonly stem: string;
  readonly location: string;
  readonly facts: StemFacts;
  /** The engine's output rate: the cache stores chunks at it. */
  readonly sampleRate: number;
  /** At `sampleRate`. */
  readonly outputFrames: Frames;
  /** At `sampleRate`. */
  readonly chunkFrames: Frames;
}

/** How much of a stem's start is cached, at the engine's rate. */
export interface StemCoverage {
  /** Frames from the stem's start that are cached without a hole. */
  readonly cachedFrames: Frames;
  /** Frames from the start the cache keeps when full (its first chunks, or the whole stem if shorter). */
  readonly cacheableFrames: Frames;
}

/** Port: the disk cache's coverage of a stem. Node: `nodeCacheCoverage(cache)` over a `StreamingCache`. */
export interface CacheCoverage {
  coverage(query: CoverageQuery): Promise<StemCoverage>;
}

/** Bytes read and the time they took. */
export interface ThroughputSample {
  readonly bytes: number;
  readonly seconds: Seconds;
}

/** Port: reads (some of) the given local files and times it. Node: `nodeThroughputMeter()`. */
export interface ThroughputMeter {
  measure(files: readonly string[]): Promise<ThroughputSample>;
}

/** The effects `checkSetlist` needs. Without `cache` or `throughput`, those parts are skipped. */
export interface CheckPorts {
  readonly prober: StemProber;
  readonly cache?: CacheCoverage;
  readonly throughput?: ThroughputMeter;
}

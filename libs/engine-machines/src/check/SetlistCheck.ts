import type { Frames, Seconds } from '../units.js';

/** `error`: the song cannot play, or not as recorded (audio missing or damaged). `warning`: it plays; have a look. */
export type CheckSeverity = 'error' | 'warning';

/** What is wrong (a contract: `trax check --json` prints these). */
export type CheckProblemKind =
  | 'missing-file'
  | 'unreadable-file'
  | 'not-flac'
  | 'unsupported-format'
  | 'truncated'
  | 'corrupt-frames'
  | 'timing'
  | 'sample-rate-mismatch'
  | 'length-mismatch'
  | 'slow-disk';

/** The severity of each kind. */
export const CHECK_SEVERITY: Readonly<Record<CheckProblemKind, CheckSeverity>> = {
  'missing-file': 'error',
  'unreadable-file': 'error',
  'not-flac': 'error',
  'unsupported-format': 'error',
  truncated: 'error',
  'corrupt-frames': 'error',
  timing: 'error',
  'sample-rate-mismatch': 'warning',
  'length-mismatch': 'warning',
  'slow-disk': 'warning',
};

export interface CheckProblem {
  readonly severity: CheckSeverity;
  readonly kind: CheckProblemKind;
  /** The stem it is about, if one. */
  readonly stem?: string;
  /** For `timing`: the JSON path in the song (`sections[2].at`). */
  readonly jsonPath?: string;
  /** For a performer: names the stem or file and the problem. */
  readonly message: string;
}

export interface StemCheck {
  readonly stem: string;
  /** Absolute path or URL. */
  readonly location: string;
  /** False when it could not be read at all (see the song's problems). */
  readonly readable: boolean;
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly bitDepth?: number;
  /** At the file's rate. */
  readonly frames?: Frames;
  /** At the engine's rate: what the engine plays. */
  readonly outputFrames?: Frames;
  readonly seconds?: Seconds;
  readonly bytes?: number;
  /** Seconds from its start in the disk cache (with a cache). */
  readonly cachedSeconds?: Seconds;
}

export interface SongCheck {
  readonly song: string;
  readonly title: string;
  /** No error among its problems. */
  readonly playable: boolean;
  /** The longest readable stem, at the engine's rate (what the song's timeline is built with). */
  readonly lengthFrames: Frames;
  readonly lengthSeconds: Seconds;
  readonly stems: readonly StemCheck[];
  readonly problems: readonly CheckProblem[];
  /** Bytes per second its stems are read at while it plays (sum of the stems' file bitrates). */
  readonly readBytesPerSecond: number;
  /**
   * How much of its start is cached: up to where the first stem's cached part ends (a song plays
   * from the cache only while every stem does; a short stem cached to its end does not count), of
   * how much the cache keeps when full (its first chunks, or the whole song if shorter).
   */
  readonly cache?: { readonly cachedSeconds: Seconds; readonly cacheableSeconds: Seconds };
}

/** What `checkSetlist` found (a contract: `trax check --json` prints it). */
export interface SetlistCheck {
  readonly setlist: { readonly name: string; readonly source: string };
  /** The engine's output rate the lengths are given at. */
  readonly sampleRate: number;
  /** Every song is playable. */
  readonly playable: boolean;
  readonly songs: readonly SongCheck[];
  /** About the whole setlist (a slow disk). */
  readonly problems: readonly CheckProblem[];
  /** Sums over the songs: how much of the setlist's first minutes is in the disk cache. */
  readonly cache?: { readonly cachedSeconds: Seconds; readonly cacheableSeconds: Seconds; readonly fraction: number };
  /** Read speed of the setlist's local files against what the heaviest song needs. */
  readonly throughput?: {
    readonly bytes: number;
    readonly seconds: Seconds;
    readonly bytesPerSecond: number;
    readonly neededBytesPerSecond: number;
    /** The song that needs `neededBytesPerSecond`. */
    readonly heaviestSong: string;
  };
}

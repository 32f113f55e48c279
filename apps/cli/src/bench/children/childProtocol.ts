import type { Setlist } from '@trax/engine-machines';

/** What the bench asks a child process to do (argv[2] = this as JSON). */
export type ChildJob =
  | { readonly mode: 'legacy'; readonly setlist: Setlist; readonly songId: string; readonly cacheDir: string }
  | { readonly mode: 'render'; readonly setlist: Setlist; readonly songId: string; readonly cacheDir: string; readonly settleWrites: boolean }
  | { readonly mode: 'cached-first-audio'; readonly setlist: Setlist; readonly songId: string; readonly cacheDir: string }
  | { readonly mode: 'cold-play'; readonly setlist: Setlist; readonly songId: string; readonly cacheDir: string; readonly seconds: number };

/** Legacy: every stem decoded whole, then played (the plan's "current system"). */
export interface LegacyResult {
  readonly firstAudioMs: number;
  readonly legacyDecodeMs: number | null;
  readonly peakRssSampledBytes: number;
}

/** Render mode through the whole song. */
export interface RenderResult {
  readonly peakRssSampledBytes: number;
  readonly renderedSeconds: number;
  readonly wallMs: number;
  readonly underruns: number;
  readonly peakBufferBytes: number;
  /** Cache writes still pending when the render ended; waited for when `settleWrites`. */
  readonly settleMs: number | null;
}

export interface CachedFirstAudioResult {
  readonly firstAudioMs: number;
  readonly cacheHits: number;
  readonly decodes: number;
}

/** A cold process playing `seconds` of a song, as `trax play --seconds S` does. */
export interface ColdPlayResult {
  /** `performance.timeOrigin` of the child: when its process started (epoch ms). */
  readonly timeOriginEpochMs: number;
  /** `performance.now()` at first audio: process start → first audio. */
  readonly firstAudioSinceStartMs: number;
  /** The engine's own first-audio figure (PLAY_SONG → first audio). */
  readonly firstAudioMs: number;
}

/** The line a child prints last on stdout, before its result as JSON. */
export const RESULT_PREFIX = 'TRAX-BENCH-RESULT ';

import type { Millis, Seconds } from '../units.js';

/**
 * Everything the performer or a developer can change: the plan's feature flags ("Feature Flag"),
 * its user and developer settings ("Configuration & Settings") and the engine's own timings.
 *
 * Settings marked *loader* shape the chunk loader (chunk size, cache, decode threads): they are read
 * by {@link loaderOptionsFromSettings} when a loader is started, so changing them on a running
 * engine applies from the next start (the engine logs this).
 */
export interface EngineSettings {
  /** Feature flag: stream songs chunk by chunk; off = the legacy full decode for every song. */
  readonly streamingEnabled: boolean;
  /** Feature flag (*loader*): keep decoded chunks of each song's first minute on disk. */
  readonly cacheEnabled: boolean;
  /** Feature flag: when streaming a song fails, decode it whole instead of failing the song. */
  readonly fallbackToLegacy: boolean;
  /** *loader*: chunk length (plan: 5 s). */
  readonly chunkSeconds: Seconds;
  /** Chunks kept per stem ahead of and at the play position (plan: 4 = 20 s). */
  readonly bufferChunks: number;
  /** *loader*: decode on worker threads (off = on the engine's thread). */
  readonly parallelDecode: boolean;
  /** Log every chunk load at INFO (plan: "Log Chunk Loads"); off = DEBUG. */
  readonly logChunkLoads: boolean;
  /** *loader*: whole chunks cached per stem (plan: 12 = 60 s). */
  readonly cacheFirstChunks: number;
  /**
   * First-audio slice per stem: playback starts when every stem has this much (NOTES: 0.5 s of
   * 30 stems decodes in ~40 ms on one core; a whole 5 s chunk would take ~1.7 s).
   */
  readonly firstAudioSeconds: Seconds;
  /** Preload the next song once the current one has played this fraction (plan Flow 4: 80 %). */
  readonly preloadAtFraction: number;
  /** Seconds of the next song whose chunks a preload makes sure are cached (plan Flow 4: 60 s). */
  readonly preloadCacheSeconds: Seconds;
  /** When a song ends, start the next one with no gap; off = arm it and wait for PLAY. */
  readonly autoAdvance: boolean;
  /** Seek crossfade, equal power (plan Flow 3: 50 ms). */
  readonly seekCrossfadeMs: Millis;
  /** Fade-out of the current song on a random song jump. */
  readonly songJumpFadeMs: Millis;
  /** Terminal load errors of one stem (each after the loader's own retries) before streaming the song is given up. */
  readonly maxLoadFailures: number;
  /** Delay before the engine asks again for a chunk whose load failed terminally. */
  readonly loadRetryDelayMs: Millis;
}

/** The plan's defaults, with streaming on (the plan's dev default). */
export const DEFAULT_SETTINGS: EngineSettings = Object.freeze({
  streamingEnabled: true,
  cacheEnabled: true,
  fallbackToLegacy: true,
  chunkSeconds: 5,
  bufferChunks: 4,
  parallelDecode: true,
  logChunkLoads: false,
  cacheFirstChunks: 12,
  firstAudioSeconds: 0.5,
  preloadAtFraction: 0.8,
  preloadCacheSeconds: 60,
  autoAdvance: true,
  seekCrossfadeMs: 50,
  songJumpFadeMs: 20,
  maxLoadFailures: 3,
  loadRetryDelayMs: 100,
});

/** Settings that only a newly started loader picks up. */
export const LOADER_SETTINGS: readonly (keyof EngineSettings)[] = ['cacheEnabled', 'chunkSeconds', 'parallelDecode', 'cacheFirstChunks'];

/** A setting outside its range; the message names the setting and the range. */
export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
  constructor(
    readonly setting: keyof EngineSettings,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`setting ${setting} = ${JSON.stringify(value)} is invalid: expected ${expected}`);
  }
}

type NumberRule = readonly [key: keyof EngineSettings, min: number, max: number, integer: boolean];

// Ranges: the plan's developer settings (chunk 1–30 s, buffer ≥ 2 chunks so one can load while
// the other plays), fades short enough to stay inaudible as a gap (≤ 1 s).
const NUMBER_RULES: readonly NumberRule[] = [
  ['chunkSeconds', 0.5, 30, false],
  ['bufferChunks', 2, 32, true],
  ['cacheFirstChunks', 0, 1000, true],
  ['firstAudioSeconds', 0.01, 30, false],
  ['preloadAtFraction', 0, 1, false],
  ['preloadCacheSeconds', 0, 3600, false],
  ['seekCrossfadeMs', 0, 1000, false],
  ['songJumpFadeMs', 0, 1000, false],
  ['maxLoadFailures', 1, 100, true],
  ['loadRetryDelayMs', 0, 60_000, false],
];
const FLAGS: readonly (keyof EngineSettings)[] = ['streamingEnabled', 'cacheEnabled', 'fallbackToLegacy', 'parallelDecode', 'logChunkLoads', 'autoAdvance'];

/**
 * Applies `changes` over `base` and checks every value.
 *
 * @throws InvalidSettingError naming the first setting out of range.
 * @example
 * const settings = mergeSettings(DEFAULT_SETTINGS, { chunkSeconds: 2, autoAdvance: false });
 */
export function mergeSettings(base: EngineSettings, changes: Partial<EngineSettings> = {}): EngineSettings {
  const merged = { ...base, ...changes };
  for (const [key, min, max, integer] of NUMBER_RULES) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new InvalidSettingError(key, value, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
    }
  }
  for (const key of FLAGS) {
    if (typeof merged[key] !== 'boolean') throw new InvalidSettingError(key, merged[key], 'true or false');
  }
  return Object.freeze(merged);
}

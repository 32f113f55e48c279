/**
 * A stem could not be opened for streaming (unreadable, not FLAC, no frames to index, or a format
 * the engine cannot play). With `fallbackToLegacy` on, the song is decoded whole instead.
 */
export class StemOpenError extends Error {
  override readonly name = 'StemOpenError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`${song}/${stem}: cannot open ${path} for streaming: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The loader delivers a stem at another rate than the engine plays. */
export class SampleRateMismatchError extends Error {
  override readonly name = 'SampleRateMismatchError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly stemRate: number,
    readonly engineRate: number,
  ) {
    super(
      `${song}/${stem}: delivered at ${stemRate} Hz but the engine plays at ${engineRate} Hz; ` +
        `start the chunk loader with outputSampleRate: ${engineRate}`,
    );
  }
}

/** A stem kept failing to load (each failure after the loader's own retries). */
export class StemLoadFailedError extends Error {
  override readonly name = 'StemLoadFailedError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly failures: number,
    readonly lastError: string,
  ) {
    super(`${song}/${stem}: ${failures} chunk loads failed in a row (last: ${lastError})`);
  }
}

/** The legacy full decode of a stem failed. */
export class LegacyDecodeError extends Error {
  override readonly name = 'LegacyDecodeError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`${song}/${stem}: full decode of ${path} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A message for a performer from anything thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

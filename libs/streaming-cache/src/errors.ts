/** Options the cache cannot work with (a size limit out of range, a bad chunk count...). */
export class CacheConfigError extends Error {
  override readonly name = 'CacheConfigError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`StreamingCache option ${option}: ${message}`);
  }
}

/**
 * A call the cache refuses because the caller broke the contract (PCM of the wrong shape or rate,
 * samples off the stem's integer grid, a chunk of an undeclared stem). A bug in the caller, not a
 * disk problem: disk problems never throw, they turn into misses or skipped writes.
 */
export class CacheUsageError extends Error {
  override readonly name = 'CacheUsageError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly chunkIndex: number | undefined,
    message: string,
  ) {
    super(`${song}/${stem}${chunkIndex === undefined ? '' : ` chunk ${chunkIndex}`}: ${message}`);
  }
}

/** Why a cache entry was found unusable on disk (internal: turned into a miss and a single WARN). */
export class CorruptEntryError extends Error {
  override readonly name = 'CorruptEntryError';
  constructor(
    /** The file that failed its check. */
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

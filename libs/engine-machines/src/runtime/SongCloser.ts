import { reasonOf } from '../errors.js';
import type { ChunkSource } from '../ports/ChunkSource.js';
import type { EngineLogger } from '../ports/EngineLogger.js';

/**
 * Closes songs in the loader a little late. `ChunkLoader.closeSong` also drops the song's pending
 * cache write-backs (idle priority: they run after everything else), so a song closed the moment
 * it ends or is jumped away from would never finish caching its first minute (plan Flow 2). A
 * retired song's loads are withdrawn at once (`cancel`, which keeps write-backs); the song itself
 * is closed once `keep` later songs have been retired — a whole song's time to write back — or
 * when the engine closes. A song loaded again before that is simply not closed. Control thread.
 */
export class SongCloser {
  private readonly retired: string[] = [];

  constructor(
    private readonly loader: ChunkSource,
    private readonly logger: EngineLogger,
    private readonly keep = 2,
  ) {}

  /** The song is no longer played: stop loading it now, close it later. */
  retire(song: string): void {
    this.loader.cancel({ song });
    this.forget(song);
    this.retired.push(song);
    while (this.retired.length > this.keep) this.close(this.retired.shift() as string);
  }

  /** The song is loaded again: it must not be closed. */
  reopen(song: string): void {
    this.forget(song);
  }

  /** Closes every retired song (the engine is closing). */
  async closeAll(): Promise<void> {
    await Promise.all(this.retired.splice(0).map((song) => this.close(song)));
  }

  /** Songs retired and not yet closed, oldest first. */
  get pending(): readonly string[] {
    return this.retired;
  }

  private forget(song: string): void {
    const at = this.retired.indexOf(song);
    if (at >= 0) this.retired.splice(at, 1);
  }

  private close(song: string): Promise<void> {
    return this.loader.closeSong(song).catch((error: unknown) => this.logger.warn(`Engine: closing ${song} in the loader failed: ${reasonOf(error)}`));
  }
}

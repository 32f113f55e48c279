/**
 * Port: where the loader's log lines go — the same port as `@trax/streaming-cache`'s, so one app
 * logger serves both. Levels follow the plan's "Logging" section: `info` for key events (cache
 * hit/miss with timing, terminal errors), `debug` for the request flow (requests, dedup,
 * cancellations, retries).
 *
 * @example
 * const loader = await ChunkLoader.start({ logger: consoleLogger('debug') });
 * // [INFO] ChunkLoader: Cache HIT for song_123/stem_456 chunk #0 (loaded in 9ms)
 */
export { consoleLogger, silentLogger } from '@trax/streaming-cache';
export type { LogContext, Logger, LogLevel } from '@trax/streaming-cache';

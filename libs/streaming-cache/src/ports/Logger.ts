/** Structured context attached to a log line (song, stem, chunk, file, error...). */
export type LogContext = Readonly<Record<string, unknown>>;

/**
 * Port: where the cache's log lines go (same shape as `@trax/chunk-loader`'s, so one app logger
 * serves both). `warn` is used once per damaged entry and once when writing is switched off;
 * `debug` for routine events (source changed, lock busy, evictions).
 */
export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ignore = (): void => undefined;

/** The default: drops everything (a library stays quiet unless asked). */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger printing `[WARN] message {context}` lines to the console from `level` up.
 *
 * @example
 * ```ts
 * const cache = await StreamingCache.open({ logger: consoleLogger('info') });
 * ```
 */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const print = (at: LogLevel, message: string, context?: LogContext): void => {
    if (LEVEL_RANK[at] < LEVEL_RANK[level]) return;
    const line = `[${at.toUpperCase()}] ${message}`;
    const sink = at === 'error' ? console.error : at === 'warn' ? console.warn : console.log;
    if (context && Object.keys(context).length > 0) sink(line, context);
    else sink(line);
  };
  return {
    debug: (m, c) => print('debug', m, c),
    info: (m, c) => print('info', m, c),
    warn: (m, c) => print('warn', m, c),
    error: (m, c) => print('error', m, c),
  };
}

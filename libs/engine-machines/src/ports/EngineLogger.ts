/** Structured context of a log line (song, stem, chunk, timings...). */
export type LogContext = Readonly<Record<string, unknown>>;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * Port: the engine's log lines, at the plan's levels ("Monitoring & Debugging"): `info` for key
 * events (song load, cache hit/miss, fallbacks), `debug` for the flow (chunk requests, buffer
 * state, seeks), `trace` for per-quantum detail (usually off). Structurally compatible with
 * `@trax/chunk-loader`'s Logger, so one logger can serve both.
 */
export interface EngineLogger {
  trace?(message: string, context?: LogContext): void;
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}

/** The default: drops everything (a library stays quiet unless asked). */
const ignore = (): void => undefined;
export const silentLogger: EngineLogger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * Prints `[INFO] message {context}` lines from `level` up (errors and warnings to stderr).
 *
 * @example
 * const engine = createEngine({ loader, logger: consoleLogger('debug') });
 * // [INFO] Song song-1: first audio after 84 ms (6 stems, streaming)
 */
export function consoleLogger(level: LogLevel = 'info'): EngineLogger {
  const print = (at: LogLevel, message: string, context?: LogContext): void => {
    if (RANK[at] < RANK[level]) return;
    const line = `[${at.toUpperCase()}] ${message}`;
    const out = at === 'error' || at === 'warn' ? console.error : console.log;
    if (context && Object.keys(context).length > 0) out(line, context);
    else out(line);
  };
  return {
    trace: (m, c) => print('trace', m, c),
    debug: (m, c) => print('debug', m, c),
    info: (m, c) => print('info', m, c),
    warn: (m, c) => print('warn', m, c),
    error: (m, c) => print('error', m, c),
  };
}

import { homedir } from 'node:os';
import path from 'node:path';

/** Environment variable that moves the cache folder (wins over the OS default, loses to an explicit `directory` option). */
export const CACHE_DIR_ENV = 'TRAX_CACHE_DIR';

/** What {@link defaultCacheDirectory} looks at; all injectable so every OS can be tested on any OS. */
export interface LocationContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

/**
 * The OS cache folder for the streaming cache:
 * - macOS: `~/Library/Caches/trax/streaming_cache`
 * - Windows: `%LOCALAPPDATA%\trax\Cache\streaming_cache` (else `~\AppData\Local\...`)
 * - Linux and others: `$XDG_CACHE_HOME/trax/streaming_cache`, else `~/.cache/trax/streaming_cache`
 *   (a relative XDG_CACHE_HOME is ignored, as the XDG spec asks).
 *
 * `TRAX_CACHE_DIR`, when set and not empty, replaces all of these.
 *
 * @example
 * defaultCacheDirectory({ platform: 'linux', env: {}, homedir: '/home/ana' });
 * // '/home/ana/.cache/trax/streaming_cache'
 */
export function defaultCacheDirectory(context: LocationContext = currentLocationContext()): string {
  const { platform, env, homedir: home } = context;
  const override = env[CACHE_DIR_ENV];
  if (override) return override;
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'trax', 'streaming_cache');
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'] || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'trax', 'Cache', 'streaming_cache');
  }
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache');
  return path.posix.join(base, 'trax', 'streaming_cache');
}

function currentLocationContext(): LocationContext {
  return { platform: process.platform, env: process.env, homedir: homedir() };
}

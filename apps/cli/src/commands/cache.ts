import { StreamingCache, defaultCacheDirectory } from '@trax/streaming-cache/node';
import type { Command } from 'commander';
import path from 'node:path';

interface CacheOptions {
  cacheDir?: string;
  json?: boolean;
}

const formatBytes = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

/** The cache folder `trax` uses: --cache-dir, else $TRAX_CACHE_DIR, else the OS cache folder. */
export function cacheDirectory(option: string | undefined): string {
  return path.resolve(option ?? defaultCacheDirectory());
}

export function registerCache(program: Command): void {
  const cache = program.command('cache').description('inspect or clear the streaming cache of decoded chunks');
  const withCommon = (command: Command) =>
    command.option('--cache-dir <dir>', 'cache folder (default: $TRAX_CACHE_DIR or the OS cache folder)').option('--json', 'print JSON');

  withCommon(cache.command('path').description('print the cache folder')).action((options: CacheOptions) => {
    const directory = cacheDirectory(options.cacheDir);
    process.stdout.write(options.json ? `${JSON.stringify({ path: directory })}\n` : `${directory}\n`);
  });

  withCommon(cache.command('stats').description('print size, entries and limit of the cache')).action(async (options: CacheOptions) => {
    const opened = await StreamingCache.open({ directory: cacheDirectory(options.cacheDir) });
    try {
      const stats = { path: opened.directory, ...opened.stats() };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      } else {
        process.stdout.write(
          `${stats.path}\n  ${formatBytes(stats.bytesUsed)} of ${formatBytes(stats.limitBytes)} used\n  ${stats.songs} songs, ${stats.entries} stems cached\n`,
        );
      }
    } finally {
      await opened.close();
    }
  });

  withCommon(cache.command('clear').description('delete every cached chunk')).action(async (options: CacheOptions) => {
    const opened = await StreamingCache.open({ directory: cacheDirectory(options.cacheDir) });
    try {
      const before = opened.stats();
      await opened.clear();
      const result = { path: opened.directory, freedBytes: before.bytesUsed, songs: before.songs, entries: before.entries };
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `cleared ${opened.directory}: ${formatBytes(result.freedBytes)} freed\n`);
    } finally {
      await opened.close();
    }
  });
}

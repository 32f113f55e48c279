import { describe, expect, it } from '@jest/globals';
import { defaultCacheDirectory } from './cacheLocation.js';

describe('defaultCacheDirectory', () => {
  it('uses ~/Library/Caches on macOS', () => {
    expect(defaultCacheDirectory({ platform: 'darwin', env: {}, homedir: '/Users/ana' })).toBe('/Users/ana/Library/Caches/trax/streaming_cache');
  });

  it('uses %LOCALAPPDATA%\\trax\\Cache on Windows, else the home folder\'s AppData\\Local', () => {
    expect(defaultCacheDirectory({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Local\\trax\\Cache\\streaming_cache',
    );
    expect(defaultCacheDirectory({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Local\\trax\\Cache\\streaming_cache');
  });

  it('uses $XDG_CACHE_HOME on Linux when it is absolute, else ~/.cache', () => {
    expect(defaultCacheDirectory({ platform: 'linux', env: { XDG_CACHE_HOME: '/var/cache/ana' }, homedir: '/home/ana' })).toBe('/var/cache/ana/trax/streaming_cache');
    expect(defaultCacheDirectory({ platform: 'linux', env: { XDG_CACHE_HOME: 'relative/cache' }, homedir: '/home/ana' })).toBe('/home/ana/.cache/trax/streaming_cache');
    expect(defaultCacheDirectory({ platform: 'linux', env: {}, homedir: '/home/ana' })).toBe('/home/ana/.cache/trax/streaming_cache');
    expect(defaultCacheDirectory({ platform: 'freebsd', env: {}, homedir: '/home/ana' })).toBe('/home/ana/.cache/trax/streaming_cache');
  });

  it('lets TRAX_CACHE_DIR override the OS default on every OS, unless empty', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const)
      expect(defaultCacheDirectory({ platform, env: { TRAX_CACHE_DIR: '/mnt/fast/trax' }, homedir: '/home/ana' })).toBe('/mnt/fast/trax');
    expect(defaultCacheDirectory({ platform: 'linux', env: { TRAX_CACHE_DIR: '' }, homedir: '/home/ana' })).toBe('/home/ana/.cache/trax/streaming_cache');
  });
});

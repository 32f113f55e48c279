import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import { isCode } from './systemErrors.js';

/** The real file system through `node:fs/promises`. */
export const nodeFileSystem: CacheFileSystem = {
  readFile: (path) => readFile(path),
  async writeNewFile(path, bytes, durable) {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
        written += bytesWritten;
      }
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => (process.platform === 'win32' ? renameRetrying(from, to) : rename(from, to)),
  link: (existing, newPath) => link(existing, newPath),
  unlink: (path) => unlink(path),
  removeTree: (path) => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  readdir: (path) => readdir(path),
  async stat(path) {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() };
  },
  async syncDirectory(path) {
    if (process.platform === 'win32') return;
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY);
      await handle.sync();
    } catch (error) {
      // Some file systems (and some container overlays) refuse fsync on a folder: durability of the
      // rename then rests on the OS, which is what every other app on that volume gets too.
      if (!isCode(error, 'EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'ENOTSUP')) throw error;
    } finally {
      await handle?.close();
    }
  },
};

/**
 * On Windows a rename over a file fails for a moment while a virus scanner or the search indexer
 * has it open (EPERM/EACCES/EBUSY); retry for up to ~1 s (what graceful-fs does, with a shorter
 * limit: this is a cache) before the error counts — else a scanner could switch caching off.
 */
async function renameRetrying(from: string, to: string): Promise<void> {
  for (let wait = 10; ; wait *= 2) {
    try {
      return await rename(from, to);
    } catch (error) {
      if (wait > 640 || !isCode(error, 'EPERM', 'EACCES', 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

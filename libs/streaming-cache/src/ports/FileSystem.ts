import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';

/** What the cache needs to know about a file. */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

/**
 * Port: every file operation the cache makes, and nothing more, so tests can inject faults (disk
 * full, permission denied, a crash at the n-th operation). Errors are Node-style (`code` =
 * 'ENOENT', 'ENOSPC', ...). Default: {@link nodeFileSystem}.
 */
export interface CacheFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** Creates `path` (rejects with EEXIST if it exists), writes all of `bytes`, fsyncs it when `durable`, closes it. */
  writeNewFile(path: string, bytes: Uint8Array, durable: boolean): Promise<void>;
  /** Atomically replaces `to` (same folder, same volume). */
  rename(from: string, to: string): Promise<void>;
  /** Hard link: rejects with EEXIST if `newPath` exists (an atomic create-if-absent of complete content). */
  link(existing: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** `rm -rf`: no error when missing. */
  removeTree(path: string): Promise<void>;
  /** `mkdir -p`. */
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  /** fsync of a folder, so a rename in it survives a power cut; a no-op where the OS refuses (Windows). */
  syncDirectory(path: string): Promise<void>;
}

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

/** Whether `error` is a Node system error with one of `codes`. */
export function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: unknown }).code as string);
}

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
 * 'ENOENT', 'ENOSPC', ...), as the cache tells a full disk from a missing file by them.
 * Default: `nodeFileSystem` (`@trax/streaming-cache/node`).
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

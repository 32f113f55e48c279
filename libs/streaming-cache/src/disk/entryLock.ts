import path from 'node:path';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import type { ProcessIdentity } from '../ports/ProcessIdentity.js';
import { tempPathFor } from './atomicFile.js';
import { isCode } from './systemErrors.js';

export const LOCK_FILE = '.lock';

export interface LockOptions {
  /** Give up after this long (the write is then skipped; it is only a cache). */
  readonly timeoutMs: number;
  /**
   * A lock older than this is taken over even if its owner seems alive: a commit takes well under
   * a second, so an owner holding it this long is suspended, or its pid was reused.
   */
  readonly staleMs: number;
  /** Whose lock this is, and whether the owner of another one is still running. */
  readonly identity: ProcessIdentity;
  readonly now: () => number;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly at: number;
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface HeldLock {
  release(): Promise<void>;
}

/** The folder itself is gone (evicted or dropped by someone else): the caller recreates it or gives up. */
export const FOLDER_GONE = 'folder-gone';
/** Another live owner kept the lock past the timeout. */
export const LOCK_BUSY = 'busy';

/**
 * Where hard links are refused (FAT/exFAT drives), the lock file is created in place with O_EXCL;
 * it can then be seen empty for an instant, or stay empty after a crash: an unreadable lock this
 * old is taken for a crashed one.
 */
const UNREADABLE_LOCK_GRACE_MS = 2000;

/**
 * Takes the lock of one entry folder across processes: a `.lock` file holding the owner's pid,
 * host and a random token, made atomically (written to a temporary file, then hard-linked to
 * `.lock`, which fails if it exists) so it never exists half-written. A lock left by a dead process
 * (kill -9, power cut) or older than `staleMs` is broken by renaming it away (only one
 * contender's rename can succeed).
 *
 * The lock only prevents lost updates (two writers each adding a chunk to metadata.json): even
 * without it, every file is replaced atomically and every chunk is checked against metadata.json
 * on read, so a reader never gets wrong audio.
 */
export async function acquireEntryLock(fs: CacheFileSystem, folder: string, options: LockOptions): Promise<HeldLock | typeof FOLDER_GONE | typeof LOCK_BUSY> {
  const lockPath = path.join(folder, LOCK_FILE);
  const { identity } = options;
  const token = identity.randomHex(8);
  const deadline = options.now() + options.timeoutMs;
  // Polling backoff 2 → 50 ms: commits take a few ms, so the first retries are short.
  for (let wait = 2; ; wait = Math.min(50, wait * 2)) {
    const owner: LockOwner = { pid: identity.pid, host: identity.host, token, at: options.now() };
    try {
      await createLockFile(fs, identity, lockPath, new TextEncoder().encode(JSON.stringify(owner)));
      return { release: () => releaseLock(fs, lockPath, token) };
    } catch (error) {
      if (isCode(error, 'ENOENT')) {
        if (!(await exists(fs, folder))) return FOLDER_GONE;
        continue; // our temporary file was tidied away by the lock holder: try again
      }
      if (!isCode(error, 'EEXIST')) throw error;
    }
    if (await breakIfStale(fs, lockPath, options)) continue;
    if (options.now() >= deadline) return LOCK_BUSY;
    await sleep(wait);
  }
}

async function createLockFile(fs: CacheFileSystem, identity: ProcessIdentity, lockPath: string, bytes: Uint8Array): Promise<void> {
  const temp = tempPathFor(lockPath, identity);
  await fs.writeNewFile(temp, bytes, false);
  try {
    await fs.link(temp, lockPath);
  } catch (error) {
    if (!isCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV')) throw error;
    await fs.writeNewFile(lockPath, bytes, false);
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

async function breakIfStale(fs: CacheFileSystem, lockPath: string, options: LockOptions): Promise<boolean> {
  let owner: Partial<LockOwner> | undefined;
  let age: number;
  try {
    const [bytes, info] = await Promise.all([fs.readFile(lockPath), fs.stat(lockPath)]);
    owner = parseOwner(bytes);
    age = options.now() - (owner?.at ?? info.mtimeMs);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return true; // released meanwhile: try again at once
    throw error;
  }
  const { identity } = options;
  const deadOwner = owner?.pid !== undefined && owner.host === identity.host && !identity.isAlive(owner.pid);
  const stale = age >= (owner ? options.staleMs : UNREADABLE_LOCK_GRACE_MS);
  if (!deadOwner && !stale) return false;
  const aside = `${lockPath}.${identity.randomHex(4)}.stale`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return true; // someone else broke or released it
    throw error;
  }
  await fs.unlink(aside).catch(() => undefined);
  return true;
}

async function releaseLock(fs: CacheFileSystem, lockPath: string, token: string): Promise<void> {
  try {
    const owner = parseOwner(await fs.readFile(lockPath));
    if (owner?.token === token) await fs.unlink(lockPath);
  } catch (error) {
    // Gone already: the folder was removed while we held it (eviction, clear) — nothing to release.
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

function parseOwner(bytes: Uint8Array): Partial<LockOwner> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null ? (value as Partial<LockOwner>) : undefined;
  } catch {
    return undefined;
  }
}

async function exists(fs: CacheFileSystem, file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

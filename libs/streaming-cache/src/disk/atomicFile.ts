import path from 'node:path';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import type { ProcessIdentity } from '../ports/ProcessIdentity.js';

/** `.{name}.{pid}.{random}.tmp`: hidden, never a chunk or metadata name, and says which process made it. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** A temporary name in the same folder as `target` (so the final rename stays on one volume and is atomic). */
export function tempPathFor(target: string, identity: ProcessIdentity): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${identity.pid}.${identity.randomHex(4)}.tmp`);
}

/** The process that made a temporary file named by {@link tempPathFor}, or undefined for any other name. */
export function tempFileOwner(name: string): number | undefined {
  const match = TEMP_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Writes `bytes` to `target` so that a crash at any moment leaves either the old file or the
 * complete new one: write a temporary file in the same folder, fsync it (when `durable`), rename it
 * over `target`. The rename's own durability needs an fsync of the folder, which the caller does
 * once per commit ({@link CacheFileSystem.syncDirectory}). On failure the temporary file is removed.
 */
export async function writeFileAtomic(fs: CacheFileSystem, identity: ProcessIdentity, target: string, bytes: Uint8Array, durable: boolean): Promise<void> {
  const temp = tempPathFor(target, identity);
  try {
    await fs.writeNewFile(temp, bytes, durable);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

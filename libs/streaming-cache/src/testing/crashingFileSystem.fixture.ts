import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { nodeFileSystem } from '../disk/nodeFileSystem.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';

/**
 * The real file system that "crashes" just before its n-th operation (counted from `arm()`):
 * `crash()` runs, and when it returns (the in-process variant) every operation from then on hangs
 * forever, so the disk is left exactly as a kill -9 at that moment would leave it. `writeNewFile`
 * counts as two operations and crashes between them with half the bytes written.
 */
export function crashingFileSystem(crashAtOp: number, crash: () => void): CacheFileSystem & { arm(): void; readonly ops: number; readonly crashed: boolean } {
  let ops = 0;
  let armed = false;
  let crashed = false;
  /** True when this operation must not happen (the crash is now, or was before). */
  const crashNow = (): boolean => {
    if (crashed) return true;
    if (!armed || ++ops !== crashAtOp) return false;
    crashed = true;
    crash();
    return true;
  };
  const hang = <T>(): Promise<T> => new Promise<T>(() => undefined);
  const wrap =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      crashNow() ? hang() : run(...args);
  return {
    arm: () => void (armed = true),
    get ops() {
      return ops;
    },
    get crashed() {
      return crashed;
    },
    readFile: wrap(nodeFileSystem.readFile),
    rename: wrap(nodeFileSystem.rename),
    link: wrap(nodeFileSystem.link),
    unlink: wrap(nodeFileSystem.unlink),
    removeTree: wrap(nodeFileSystem.removeTree),
    mkdir: wrap(nodeFileSystem.mkdir),
    readdir: wrap(nodeFileSystem.readdir),
    stat: wrap(nodeFileSystem.stat),
    syncDirectory: wrap(nodeFileSystem.syncDirectory),
    async writeNewFile(path, bytes, durable) {
      if (crashNow()) return hang();
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      const half = bytes.length >> 1;
      await handle.write(bytes, 0, half, 0);
      if (crashNow()) {
        // A killed process's files are closed by the OS; the half-written file stays.
        await handle.close();
        return hang();
      }
      try {
        await handle.write(bytes, half, bytes.length - half, half);
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

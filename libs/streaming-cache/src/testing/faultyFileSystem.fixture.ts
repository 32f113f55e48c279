import { nodeFileSystem } from '../disk/nodeFileSystem.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';

export type FsOperation = keyof CacheFileSystem;

/** A Node-style system error, as `fs` throws them. */
export function systemError(code: string, operation: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected, ${operation} '${path}'`);
  error.code = code;
  error.syscall = operation;
  error.path = path;
  return error;
}

/**
 * The real file system, except that `fault(operation, path)` may name an error code to throw
 * instead (checked before the operation runs). Counts calls per operation.
 */
export function faultyFileSystem(fault: (operation: FsOperation, path: string) => string | undefined): CacheFileSystem & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrap =
    <A extends unknown[], R>(operation: FsOperation, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls[operation] = (calls[operation] ?? 0) + 1;
      const code = fault(operation, String(args[0]));
      if (code) throw systemError(code, operation, String(args[0]));
      return run(...args);
    };
  return {
    calls,
    readFile: wrap('readFile', nodeFileSystem.readFile),
    writeNewFile: wrap('writeNewFile', nodeFileSystem.writeNewFile),
    rename: wrap('rename', nodeFileSystem.rename),
    link: wrap('link', nodeFileSystem.link),
    unlink: wrap('unlink', nodeFileSystem.unlink),
    removeTree: wrap('removeTree', nodeFileSystem.removeTree),
    mkdir: wrap('mkdir', nodeFileSystem.mkdir),
    readdir: wrap('readdir', nodeFileSystem.readdir),
    stat: wrap('stat', nodeFileSystem.stat),
    syncDirectory: wrap('syncDirectory', nodeFileSystem.syncDirectory),
  };
}

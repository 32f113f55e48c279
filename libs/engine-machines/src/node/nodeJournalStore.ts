import type { CacheFileSystem } from '@trax/streaming-cache';
import { nodeFileSystem } from '@trax/streaming-cache/node';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { JournalStore } from '../journal/JournalStore.js';

export interface NodeJournalStoreOptions {
  /** fsync the file and its folder on every write (default true): a power cut keeps the last journal. */
  readonly durable?: boolean;
  /** The file operations; default streaming-cache's `nodeFileSystem` (O_EXCL create, fsync, rename retried on Windows, folder fsync). */
  readonly fileSystem?: CacheFileSystem;
  /** Whether a process is alive (to sweep temporary files that dead writers left). Default `kill(pid, 0)`. */
  readonly isProcessAlive?: (pid: number) => boolean;
}

const code = (error: unknown) => (error as { code?: string }).code;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * The resume journal as a file, replaced atomically: write a temporary file in the same folder
 * (`.{name}.{pid}.{random}.tmp`, the cache's naming), fsync it, rename it over the journal, fsync
 * the folder. A kill at any moment leaves the previous journal or the new one; temporary files of
 * writers that died are removed before this store's first write. The file operations are
 * streaming-cache's `nodeFileSystem` (its `writeFileAtomic` is not exported; this composes the same
 * steps from the exported port).
 *
 * @example
 * const journal = new ThrottledJournal({ store: nodeJournalStore('/home/me/.local/share/trax/resume.json') });
 */
export function nodeJournalStore(file: string, options: NodeJournalStoreOptions = {}): JournalStore {
  const fs = options.fileSystem ?? nodeFileSystem;
  const durable = options.durable ?? true;
  const isAlive = options.isProcessAlive ?? processAlive;
  const target = path.resolve(file);
  const folder = path.dirname(target);
  const base = path.basename(target);
  const tempName = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  let prepared = false;

  const prepare = async () => {
    await fs.mkdir(folder);
    for (const name of await fs.readdir(folder)) {
      const owner = tempName.exec(name)?.[1];
      if (owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner))) await fs.unlink(path.join(folder, name)).catch(() => undefined);
    }
    prepared = true;
  };

  return {
    name: target,
    async read() {
      try {
        return new TextDecoder().decode(await fs.readFile(target));
      } catch (error) {
        if (code(error) === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      if (!prepared) await prepare();
      const temp = path.join(folder, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await fs.writeNewFile(temp, new TextEncoder().encode(text), durable);
        await fs.rename(temp, target);
      } catch (error) {
        await fs.unlink(temp).catch(() => undefined);
        throw error;
      }
      if (durable) await fs.syncDirectory(folder);
    },
    async remove() {
      await fs.unlink(target).catch((error: unknown) => {
        if (code(error) !== 'ENOENT') throw error;
      });
    },
  };
}

import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Fresh folders under the bench folder (cold Trax caches, child outputs), all removed at the
 * end of the run.
 */
export class ScratchDirs {
  private readonly made: string[] = [];

  constructor(private readonly root: string) {}

  async fresh(label: string): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const dir = await mkdtemp(path.join(this.root, `${label}-`));
    this.made.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    for (const dir of this.made.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}

/** Bytes of every file under `dir` (apparent size), and the disk blocks they take. */
export async function folderBytes(dir: string): Promise<{ bytes: number; allocatedBytes: number; files: number }> {
  let bytes = 0;
  let allocatedBytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(path.join(entry.parentPath, entry.name));
    bytes += info.size;
    allocatedBytes += info.blocks * 512;
    files += 1;
  }
  return { bytes, allocatedBytes, files };
}

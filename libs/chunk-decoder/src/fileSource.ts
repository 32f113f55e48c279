import { open } from 'node:fs/promises';
import type { ByteSource } from './byteSource.js';

/**
 * A {@link ByteSource} over a Node file handle: each `read` is one positioned `read(2)`, so the
 * decoder touches only the bytes it needs. Close it (or the decoder that owns it) when done.
 *
 * @example
 * ```ts
 * const source = await openFileSource('song/bass.flac');
 * const head = await source.read(0, 4); // 'fLaC'
 * await source.close();
 * ```
 */
export async function openFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  let closed = false;
  return {
    name: path,
    size,
    async read(offset, length) {
      if (closed) throw new Error(`${path}: read after close`);
      const start = Math.max(0, Math.min(offset, size));
      const wanted = Math.min(size - start, Math.max(0, length));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, start + filled);
        if (bytesRead === 0) break; // the file shrank since stat(): return what is there
        filled += bytesRead;
      }
      return filled === wanted ? buffer : buffer.subarray(0, filled);
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

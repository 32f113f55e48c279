import type { ByteOffset } from './units.js';

/**
 * Port: random-access bytes of one file. The decoder reads a few KB of metadata at open and then
 * only the byte ranges that hold the frames it decodes. Implementations: {@link memorySource},
 * `openFileSource` (`@trax/chunk-decoder/node`), `openHttpSource` (HTTP ranges; browsers, workers and Node).
 */
export interface ByteSource {
  /** File path or label, used in error messages. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Bytes `[offset, offset + length)`; fewer at end of file, none past it. */
  read(offset: ByteOffset, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A {@link ByteSource} over bytes already in memory (tests, downloads, cache entries).
 * `read` returns views into `bytes`, not copies: do not modify them.
 *
 * @example
 * ```ts
 * const decoder = await ChunkDecoder.open(memorySource(await readFile('a.flac'), 'a.flac'));
 * ```
 */
export function memorySource(bytes: Uint8Array, name = 'memory'): ByteSource {
  let closed = false;
  return {
    name,
    size: bytes.length,
    read(offset, length) {
      if (closed) return Promise.reject(new Error(`${name}: read after close`));
      const start = Math.max(0, Math.min(offset, bytes.length));
      return Promise.resolve(bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, length))));
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

/** A destination for binary output: `-` is stdout; a file is written to a temp name and renamed when complete. */
export interface Output {
  write(chunk: Buffer): Promise<void>;
  /** Completes the file (renames it into place). */
  finish(): Promise<void>;
  /** Removes a partial file after a failure. */
  abort(): Promise<void>;
}

/** Resolves once the chunk is handed to the OS, which also gives back-pressure. */
function writeTo(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));
}

export function openOutput(target: string): Output {
  if (target === '-') {
    return { write: (c) => writeTo(process.stdout, c), finish: async () => undefined, abort: async () => undefined };
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  const stream: WriteStream = createWriteStream(temp);
  const closed = () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return {
    write: (c) => writeTo(stream, c),
    async finish() {
      await closed();
      await rename(temp, target);
    },
    async abort() {
      await closed().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

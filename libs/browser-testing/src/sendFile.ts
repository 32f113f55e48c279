import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseRange } from './byteRange.js';

/** How {@link sendFile} answers; the defaults are what a real static file host (nginx) does. */
export interface SendFileOptions {
  /** `false`: ignore `Range` and answer 200 with the whole file, as Python's `http.server` does. */
  readonly ranges?: boolean;
  /** Fault injection: send the headers, then only this many body bytes, then drop the connection. */
  readonly dropAfterBytes?: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
};

/** The `Content-Type` for a file name (by extension; `application/octet-stream` otherwise). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Answers a GET or HEAD with a file, as a static host does: 206 with `Content-Range` for one
 * `bytes=` range, 416 for a range outside the file, 200 otherwise; `ETag` and `Last-Modified`
 * from the file's size and modification time on every answer (the ETag uses milliseconds, so a
 * rewrite within the same second still changes it — nginx's uses seconds).
 */
export async function sendFile(request: IncomingMessage, response: ServerResponse, file: string, options: SendFileOptions = {}): Promise<void> {
  const info = await stat(file);
  const size = info.size;
  response.setHeader('Content-Type', contentTypeOf(file));
  response.setHeader('ETag', `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`);
  response.setHeader('Last-Modified', info.mtime.toUTCString());
  const ranges = options.ranges !== false;
  if (ranges) response.setHeader('Accept-Ranges', 'bytes');
  const wanted = ranges ? parseRange(request.headers.range, size) : { kind: 'whole' as const };
  if (wanted.kind === 'unsatisfiable') {
    response.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${wanted.reason}\n`);
    return;
  }
  const [start, end] = wanted.kind === 'range' ? [wanted.start, wanted.end] : [0, size];
  if (wanted.kind === 'range') response.setHeader('Content-Range', `bytes ${start}-${end - 1}/${size}`);
  response.writeHead(wanted.kind === 'range' ? 206 : 200, { 'Content-Length': String(end - start) });
  if (request.method === 'HEAD' || end === start) {
    response.end();
    return;
  }
  if (options.dropAfterBytes !== undefined) {
    const part = await readBytes(file, start, Math.min(end, start + options.dropAfterBytes));
    // Destroying the socket after the write is flushed: the client sees a body shorter than its
    // Content-Length, as when a connection breaks mid-transfer.
    response.write(part, () => response.socket?.destroy());
    return;
  }
  await pipeline(createReadStream(file, { start, end: end - 1 }), response);
}

async function readBytes(file: string, start: number, end: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const bytes = new Uint8Array(end - start);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

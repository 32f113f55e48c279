import type { ByteOffset } from '../units.js';

/**
 * Reading a stem over HTTP failed. Every subclass names the URL; catch this class for "the
 * server or the network is the problem", as opposed to `FlacFormatError` for the file's bytes.
 */
export class HttpSourceError extends Error {
  override readonly name: string = 'HttpSourceError';
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${message}`, options);
  }
}

/**
 * The server answered with an error status (404, 403, 500...).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof HttpStatusError && e.status === 404) console.error(`missing stem ${e.url}`); }
 * ```
 */
export class HttpStatusError extends HttpSourceError {
  override readonly name = 'HttpStatusError';
  constructor(
    url: string,
    readonly status: number,
    readonly statusText: string,
  ) {
    super(url, `the server answered ${status}${statusText ? ` ${statusText}` : ''}${status === 404 ? ' (no such file there)' : ''}`);
  }
}

/**
 * The server does not answer byte ranges: it sent the whole file (200) to a `Range` request, as
 * Python's `http.server` does, or a 206 without a usable `Content-Range`. Stems are read by range
 * (a few KB at open, then one chunk's bytes at a time), so such a server cannot be used.
 */
export class HttpRangeUnsupportedError extends HttpSourceError {
  override readonly name = 'HttpRangeUnsupportedError';
  constructor(
    url: string,
    readonly detail: string,
  ) {
    super(url, `the server does not support byte ranges (${detail}); serve the stems from one that does (nginx, Apache, Caddy, \`trax serve\`)`);
  }
}

/** Which validator showed the change. */
export type HttpChangedField = 'size' | 'etag' | 'last-modified';

/**
 * The file on the server is not the one that was opened: its size, `ETag` or `Last-Modified`
 * differs from the first answer. Reading on would mix bytes of two versions, so every response
 * is checked and the first difference stops the source. Reopen the stem to play the new file.
 */
export class HttpFileChangedError extends HttpSourceError {
  override readonly name = 'HttpFileChangedError';
  constructor(
    url: string,
    readonly field: HttpChangedField,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(url, `the file changed on the server since it was opened (${field} was ${expected}, now ${actual}); reopen it`);
  }
}

/**
 * The request failed below HTTP (connection refused, reset, DNS) or the connection dropped before
 * the whole body arrived. Already retried once.
 */
export class HttpConnectionError extends HttpSourceError {
  override readonly name = 'HttpConnectionError';
  constructor(
    url: string,
    /** The byte range `[offset, offset + length)` that was being read. */
    readonly offset: ByteOffset,
    readonly length: number,
    readonly attempts: number,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(url, `reading bytes ${offset}–${offset + length - 1} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}`, { cause });
  }
}

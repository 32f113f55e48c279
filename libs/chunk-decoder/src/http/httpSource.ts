import type { ByteSource } from '../byteSource.js';
import type { ByteOffset } from '../units.js';
import { parseContentRange } from './contentRange.js';
import { HttpConnectionError, HttpFileChangedError, HttpRangeUnsupportedError, HttpSourceError, HttpStatusError } from './httpErrors.js';
import { RangeCache, type RangePiece } from './rangeCache.js';
import { versionChange, versionOf, type ResourceVersion } from './resourceVersion.js';

export interface HttpSourceOptions {
  /**
   * Bytes asked for by the first request (default 256 KiB): FLAC metadata (with the 8 KiB of
   * padding `flac` leaves, and seek tables) and the first frames — about 0.8 s of 24-bit stereo
   * at 48 kHz — so opening a stem and decoding its first slice cost one round trip.
   */
  readonly openBytes?: number;
  /**
   * Read-ahead bound (default 64 KiB): a request for missing bytes fetches at most this many
   * more, after them (or before them, at the end of the file), so that the decoder's small
   * probes — seek points, frame headers, the file's tail — share one request with what follows.
   */
  readonly readAheadBytes?: number;
  /** Bytes of fetched runs kept for later reads (default 1 MiB), least recently used dropped first. */
  readonly cacheBytes?: number;
  /** Cancels every request in flight and every later read (they reject with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use (default the global one). */
  readonly fetch?: typeof fetch;
}

const DEFAULT_OPEN_BYTES = 256 * 1024;
const DEFAULT_READ_AHEAD_BYTES = 64 * 1024;
const DEFAULT_CACHE_BYTES = 1024 * 1024;
/** A dropped connection is retried once: one blip on a LAN should not silence a stem; two in a row is a real problem. */
const MAX_ATTEMPTS = 2;

/** Whether a stem path names a file over HTTP(S) rather than a local file. */
export function isHttpUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * A {@link ByteSource} over HTTP(S) `Range` requests, with the version of the file it opened.
 * Works wherever `fetch` does: browsers, Web Workers, Node ≥ 18.
 */
export interface HttpByteSource extends ByteSource {
  /** The URL, as given. */
  readonly name: string;
  /** `ETag` of the opened file, if the server sent one. */
  readonly etag: string | undefined;
  /** `Last-Modified` of the opened file, if the server sent it. */
  readonly lastModified: string | undefined;
  /** HTTP requests made so far (for tests and benchmarks). */
  readonly requests: number;
}

/**
 * Opens a file on a web server for random access by byte range. The first request fetches the
 * first `openBytes`, which serves `ChunkDecoder.open`'s metadata and first-frame reads and the
 * first decode; later reads fetch only what is missing (plus a bounded read-ahead), share
 * requests already in flight, and reuse recent runs. Every response is checked against the
 * opened version (size from `Content-Range`, `ETag`, `Last-Modified`).
 *
 * Errors, each naming the URL: {@link HttpStatusError} (404...), {@link HttpRangeUnsupportedError}
 * (a server that answers ranges with the whole file), {@link HttpFileChangedError} (the file
 * changed since open), {@link HttpConnectionError} (network failure or a connection dropped
 * mid-body, after one retry). Cross-origin servers must expose `Content-Range`, `ETag` and
 * `Last-Modified` (`Access-Control-Expose-Headers`).
 *
 * @example
 * ```ts
 * const decoder = await ChunkDecoder.open(await openHttpSource('https://band.example/song1/bass.flac'));
 * const first = await decoder.decodeRange(0, 24000);
 * await decoder.close(); // closes the source too
 * ```
 */
export async function openHttpSource(url: string | URL, options: HttpSourceOptions = {}): Promise<HttpByteSource> {
  const href = String(url);
  if (!isHttpUrl(href)) throw new TypeError(`${href}: not an http(s) URL`);
  const source = new HttpSource(href, options);
  try {
    await source.open();
  } catch (error) {
    await source.close();
    throw error;
  }
  return source;
}

/** One successful range response: its bytes and the version it describes. */
interface RangeBody {
  readonly bytes: Uint8Array;
  readonly version: ResourceVersion;
}

class HttpSource implements HttpByteSource {
  size = 0;
  requests = 0;
  private version: ResourceVersion | undefined;
  private readonly cache: RangeCache;
  private readonly closing = new AbortController();
  private readonly signal: AbortSignal;
  private readonly fetch: typeof fetch;
  private failure: HttpFileChangedError | undefined;

  constructor(
    readonly name: string,
    private readonly options: HttpSourceOptions,
  ) {
    this.cache = new RangeCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get etag(): string | undefined {
    return this.version?.etag;
  }

  get lastModified(): string | undefined {
    return this.version?.lastModified;
  }

  async open(): Promise<void> {
    const wanted = Math.max(1, this.options.openBytes ?? DEFAULT_OPEN_BYTES);
    const first = await this.fetchRange(0, wanted, true);
    this.version = first.version;
    this.size = first.version.size;
    if (first.bytes.length > 0) this.cache.add(0, first.bytes.length, Promise.resolve(first.bytes));
  }

  async read(offset: ByteOffset, length: number): Promise<Uint8Array> {
    this.signal.throwIfAborted();
    if (this.failure) throw this.failure;
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    const { gaps } = this.cache.plan(start, end);
    if (gaps.length > 0) {
      // One request for every gap (bytes between them are fetched again: cheaper than a round trip).
      const [from, to] = this.extend(gaps[0][0], gaps[gaps.length - 1][1]);
      this.cache.add(
        from,
        to,
        this.fetchRange(from, to, false).then((body) => body.bytes),
      );
    }
    return assemble(this.cache.plan(start, end).pieces, start, end);
  }

  close(): Promise<void> {
    if (!this.closing.signal.aborted) this.closing.abort(new HttpSourceError(this.name, 'read after close'));
    this.cache.clear();
    return Promise.resolve();
  }

  /** `[from, to)` plus the read-ahead: forward to the next held run or the end, else backward. */
  private extend(from: ByteOffset, to: ByteOffset): [ByteOffset, ByteOffset] {
    const readAhead = Math.max(0, this.options.readAheadBytes ?? DEFAULT_READ_AHEAD_BYTES);
    const forward = Math.min(this.size, this.cache.nextStartAfter(to) ?? this.size, to + readAhead);
    const left = readAhead - (forward - to);
    const backward = Math.max(0, this.cache.previousEndBefore(from) ?? 0, from - left);
    return [Math.min(from, backward), forward];
  }

  /** Fetches `[from, to)`, retrying once after a connection failure. */
  private async fetchRange(from: ByteOffset, to: ByteOffset, opening: boolean): Promise<RangeBody> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetchOnce(from, to, opening, attempt);
      } catch (error) {
        if (!(error instanceof HttpConnectionError) || attempt >= MAX_ATTEMPTS || this.signal.aborted) throw error;
      }
    }
  }

  private async fetchOnce(from: ByteOffset, to: ByteOffset, opening: boolean, attempt: number): Promise<RangeBody> {
    const dropped = (detail: string, cause?: unknown) =>
      this.signal.aborted ? this.signal.reason : new HttpConnectionError(this.name, from, to - from, attempt, detail, cause);
    let response: Response;
    this.requests++;
    try {
      // `cache: 'no-store'`: a browser's HTTP cache must not answer with an older version's bytes
      // (Node's fetch types leave the standard option out; Node accepts it).
      const init = { headers: { ...this.options.headers, Range: `bytes=${from}-${to - 1}` }, signal: this.signal, cache: 'no-store' } as RequestInit;
      response = await this.fetch(this.name, init);
    } catch (error) {
      throw dropped(`the request failed (${describe(error)})`, error);
    }
    const version = this.checkResponse(response, from, to, opening);
    if (version.kind === 'empty') {
      await response.body?.cancel();
      return { bytes: new Uint8Array(0), version: version.version };
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw dropped(`the connection dropped mid-body (${describe(error)})`, error);
    }
    if (bytes.length !== version.end - from) throw dropped(`the body ended after ${bytes.length} of ${version.end - from} bytes`);
    return { bytes, version: version.version };
  }

  /** Status and headers of a range response; throws the typed error for anything unusable. */
  private checkResponse(response: Response, from: ByteOffset, to: ByteOffset, opening: boolean): { kind: 'bytes'; end: ByteOffset; version: ResourceVersion } | { kind: 'empty'; version: ResourceVersion } {
    const range = parseContentRange(response.headers.get('content-range'));
    const refuse = (error: Error) => {
      void response.body?.cancel().catch(() => undefined); // do not download a whole file we will not use
      return error;
    };
    if (response.status === 416 && range?.kind === 'unsatisfied') {
      const version = versionOf(response.headers, range.size);
      this.checkVersion(version, refuse);
      // Only an empty file makes the first range unsatisfiable; later requests stay inside the size.
      if (opening && range.size === 0) return { kind: 'empty', version };
      throw refuse(new HttpRangeUnsupportedError(this.name, `416 for bytes ${from}–${to - 1} of a ${range.size}-byte file`));
    }
    if (response.status === 200) {
      const ranges = response.headers.get('accept-ranges');
      throw refuse(new HttpRangeUnsupportedError(this.name, `it answered a Range request with 200 and the whole file${ranges ? ` (Accept-Ranges: ${ranges})` : ''}`));
    }
    if (response.status !== 206) throw refuse(new HttpStatusError(this.name, response.status, response.statusText));
    if (range?.kind !== 'bytes') throw refuse(new HttpRangeUnsupportedError(this.name, `206 without a valid Content-Range (${response.headers.get('content-range') ?? 'none'})`));
    const version = versionOf(response.headers, range.size);
    this.checkVersion(version, refuse);
    const expectedEnd = Math.min(to, range.size);
    if (range.start !== from || range.end !== expectedEnd)
      throw refuse(new HttpRangeUnsupportedError(this.name, `asked for bytes ${from}–${expectedEnd - 1}, got ${range.start}–${range.end - 1}`));
    return { kind: 'bytes', end: range.end, version };
  }

  /** After open, any other version of the file stops the source for good. */
  private checkVersion(seen: ResourceVersion, refuse: (error: Error) => Error): void {
    if (!this.version) return;
    const change = versionChange(this.version, seen);
    if (!change) return;
    this.failure = new HttpFileChangedError(this.name, change.field, change.expected, change.actual);
    this.cache.clear();
    throw refuse(this.failure);
  }
}

/** The bytes `[start, end)` from pieces that cover them: a view when one piece holds them all. */
async function assemble(pieces: RangePiece[], start: ByteOffset, end: ByteOffset): Promise<Uint8Array> {
  const held = await Promise.all(pieces.map((piece) => piece.segment.bytes));
  if (pieces.length === 1) {
    const { from, to, segment } = pieces[0];
    return held[0].subarray(from - segment.start, to - segment.start);
  }
  const out = new Uint8Array(end - start);
  pieces.forEach(({ from, to, segment }, i) => out.set(held[i].subarray(from - segment.start, to - segment.start), from - start));
  return out;
}

/** An error's message and its cause's (fetch's "fetch failed" hides ECONNREFUSED there); by shape, not `instanceof`, since errors may come from another realm. */
function describe(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown } } | null;
  if (!e || typeof e.message !== 'string') return String(error);
  const cause = typeof e.cause?.message === 'string' ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}

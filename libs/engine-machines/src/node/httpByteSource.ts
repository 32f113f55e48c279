import type { ByteSource } from '@trax/chunk-decoder';

/** An HTTP(S) stem that cannot be read: `status` 404/410 means it is not there. */
export class HttpStemError extends Error {
  override readonly name = 'HttpStemError';
  constructor(
    readonly url: string,
    /** The HTTP status, or undefined when no response came (network error, timeout). */
    readonly status: number | undefined,
    readonly problem: string,
  ) {
    super(`${url}: ${problem}`);
  }

  /** The server says there is no such file. */
  get missing(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

const TIMEOUT_MS = 10_000;

/**
 * A {@link ByteSource} over `fetch` with `Range` requests, enough for the pre-show check to read a
 * URL stem's headers and a few frames. Deliberately minimal (no coalescing, no retries): the
 * engine's own HTTP source belongs in `@trax/chunk-decoder` (issue 13) and should replace this one
 * once it exists. A server that ignores `Range` is refused, so a probe never downloads whole files.
 *
 * @throws HttpStemError when the server answers with an error, ignores ranges, or cannot be reached.
 */
export async function openHttpByteSource(url: string, fetchImpl: typeof fetch = fetch): Promise<ByteSource> {
  const first = await get(url, 0, 0, fetchImpl);
  const total = /\/(\d+)\s*$/.exec(first.headers.get('content-range') ?? '')?.[1];
  if (total === undefined) throw new HttpStemError(url, first.status, 'the server sent no Content-Range with the total size');
  const size = Number(total);
  let closed = false;
  return {
    name: url,
    size,
    async read(offset, length) {
      if (closed) throw new Error(`${url}: read after close`);
      const start = Math.max(0, Math.min(offset, size));
      const end = Math.min(size, start + Math.max(0, length));
      if (end <= start) return new Uint8Array(0);
      return new Uint8Array(await (await get(url, start, end - 1, fetchImpl)).arrayBuffer());
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}

async function get(url: string, first: number, last: number, fetchImpl: typeof fetch): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { Range: `bytes=${first}-${last}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new HttpStemError(url, undefined, `cannot be fetched (${cause ?? (error as Error).message})`);
  }
  if (response.status === 206) return response;
  await response.body?.cancel();
  if (response.ok) throw new HttpStemError(url, response.status, `the server ignores Range requests (HTTP ${response.status}); stems need a server that answers byte ranges`);
  throw new HttpStemError(url, response.status, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
}

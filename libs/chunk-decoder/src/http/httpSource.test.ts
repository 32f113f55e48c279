import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendFile, serveStatic, type StaticServer } from '@trax/browser-testing';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkDecoder } from '../chunkDecoder.js';
import { FlacFormatError } from '../errors.js';
import { flacFixture, hasFlacCli } from '../flacCli.fixture.js';
import { HttpConnectionError, HttpFileChangedError, HttpRangeUnsupportedError, HttpSourceError, HttpStatusError } from './httpErrors.js';
import { isHttpUrl, openHttpSource } from './httpSource.js';

// Byte-level behaviour against real HTTP servers on loopback (Node's http, through the same
// static server the browser tests use): one well-behaved, and misbehaving ones built from it.
const SIZE = 3 * 1024 * 1024 + 123;
const KiB = 1024;
const content = Uint8Array.from({ length: SIZE }, (_, i) => (i * 31 + (i >> 11)) & 0xff);

let dir: string;
let server: StaticServer;
let drops = 0;
const file = () => path.join(dir, 'bytes.bin');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trax-http-source-'));
  await writeFile(file(), content);
  await writeFile(path.join(dir, 'empty.flac'), new Uint8Array(0));
  server = await serveStatic({
    root: dir,
    routes: {
      '/drops-once.bin': (req, res) => sendFile(req, res, file(), drops++ === 0 ? { dropAfterBytes: 1000 } : {}),
      '/always-drops.bin': (req, res) => sendFile(req, res, file(), { dropAfterBytes: 1000 }),
      '/stalls.bin': (req, res) => {
        if (req.headers.range === 'bytes=0-262143') return sendFile(req, res, file());
        res.writeHead(206, { 'Content-Range': `bytes 0-9/${SIZE}`, 'Content-Length': '10' }); // and never the body
      },
    },
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Range headers the server saw for `urlPath` since `from` (an index into server.requests). */
const rangesSince = (from: number, urlPath = '/bytes.bin') => server.requests.slice(from).filter((r) => r.path === urlPath).map((r) => r.range);

describe('openHttpSource', () => {
  it('opens with one request for the first 256 KiB and knows the size and validators', async () => {
    const before = server.requests.length;
    const source = await openHttpSource(server.url('/bytes.bin'));
    expect(source.size).toBe(SIZE);
    expect(source.etag).toMatch(/^".+"$/);
    expect(source.lastModified).toMatch(/GMT$/);
    expect(await source.read(100, 16 * KiB)).toEqual(content.subarray(100, 100 + 16 * KiB));
    expect(rangesSince(before)).toEqual(['bytes=0-262143']);
    await source.close();
  });

  it('reads exactly the bytes asked for, anywhere, fewer at the end, none past it', async () => {
    const source = await openHttpSource(server.url('/bytes.bin'));
    for (const [offset, length] of [
      [1_000_000, 5_000],
      [SIZE - 10, 100],
      [200 * KiB, 100 * KiB], // straddles the end of the first request
      [2_000_000, 300 * KiB],
    ])
      expect(await source.read(offset, length)).toEqual(content.subarray(offset, Math.min(SIZE, offset + length)));
    expect((await source.read(SIZE + 5, 10)).length).toBe(0);
    await source.close();
  });

  it('coalesces: overlapping reads in flight share one request, with at most 64 KiB of read-ahead', async () => {
    const source = await openHttpSource(server.url('/bytes.bin'));
    const before = server.requests.length;
    const reads = await Promise.all([source.read(500_000, 100), source.read(500_050, 100), source.read(500_120, 30)]);
    expect(reads[1]).toEqual(content.subarray(500_050, 500_150));
    expect(rangesSince(before)).toEqual([`bytes=500000-${500_100 + 64 * KiB - 1}`]);
    // Within the read-ahead: served from what arrived.
    expect(await source.read(500_100 + 60 * KiB, 4 * KiB)).toEqual(content.subarray(500_100 + 60 * KiB, 500_100 + 64 * KiB));
    expect(rangesSince(before)).toHaveLength(1);
    // Partly held: only the missing part is asked for (plus read-ahead).
    await source.read(500_000 + 64 * KiB, 8 * KiB);
    expect(rangesSince(before)[1]).toBe(`bytes=${500_100 + 64 * KiB}-${500_000 + 72 * KiB + 64 * KiB - 1}`);
    await source.close();
  });

  it('reads ahead backwards at the end of the file, so the tail probes of open() share one request', async () => {
    const source = await openHttpSource(server.url('/bytes.bin'));
    const before = server.requests.length;
    await source.read(SIZE - 128, 3); // the ID3v1 probe
    await source.read(SIZE - 40 * KiB, 40 * KiB); // the last frames
    expect(rangesSince(before)).toEqual([`bytes=${SIZE - 64 * KiB - 3}-${SIZE - 1}`]);
    await source.close();
  });

  it('a 404 is an HttpStatusError naming the URL', async () => {
    const url = server.url('/missing.flac');
    const error = await openHttpSource(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ url, status: 404 });
    expect((error as Error).message).toContain(url);
  });

  it('a server that answers ranges with the whole file (like Python http.server) is refused at open', async () => {
    const plain = await serveStatic({ root: dir, ranges: false });
    try {
      const url = plain.url('/bytes.bin');
      const error = await openHttpSource(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpRangeUnsupportedError);
      expect((error as HttpRangeUnsupportedError).url).toBe(url);
      expect((error as Error).message).toMatch(/answered a Range request with 200 and the whole file/);
    } finally {
      await plain.close();
    }
  });

  it('notices a file changed since open (size, or same size and a new ETag) and stops reading', async () => {
    const changing = path.join(dir, 'changing.bin');
    await writeFile(changing, content);
    const source = await openHttpSource(server.url('/changing.bin'));
    await writeFile(changing, content.map((b) => b ^ 1)); // same size, new bytes
    await utimes(changing, new Date(), new Date(Date.now() + 60_000));
    const error = await source.read(1_000_000, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpFileChangedError);
    expect(error).toMatchObject({ url: server.url('/changing.bin'), field: 'etag' });
    // Once changed, always refused: even bytes read before are not mixed with the new file.
    await expect(source.read(0, 10)).rejects.toBe(error);
    await source.close();

    const grown = await openHttpSource(server.url('/changing.bin'));
    await writeFile(changing, new Uint8Array(SIZE + 1));
    await expect(grown.read(2_000_000, 10)).rejects.toMatchObject({ field: 'size', expected: `${SIZE} bytes`, actual: `${SIZE + 1} bytes` });
    await grown.close();
  });

  it('retries once when the connection drops mid-body', async () => {
    drops = 0;
    const before = server.requests.length;
    const source = await openHttpSource(server.url('/drops-once.bin'));
    expect(await source.read(0, 256 * KiB)).toEqual(content.subarray(0, 256 * KiB));
    expect(rangesSince(before, '/drops-once.bin')).toEqual(['bytes=0-262143', 'bytes=0-262143']);
    await source.close();
  });

  it('a connection that drops twice is an HttpConnectionError', async () => {
    const url = server.url('/always-drops.bin');
    const error = await openHttpSource(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpConnectionError);
    expect(error).toMatchObject({ url, offset: 0, length: 256 * KiB, attempts: 2 });
    expect((error as Error).message).toMatch(/connection dropped mid-body|body ended after/);
  });

  it('a refused connection is an HttpConnectionError', async () => {
    const closed = await serveStatic({ root: dir });
    const url = closed.url('/bytes.bin');
    await closed.close();
    await expect(openHttpSource(url)).rejects.toMatchObject({ name: 'HttpConnectionError', url, attempts: 2 });
  });

  it('an AbortSignal cancels reads in flight and later reads; close() does too', async () => {
    const controller = new AbortController();
    const source = await openHttpSource(server.url('/stalls.bin'), { signal: controller.signal });
    const stalled = source.read(1_000_000, 10);
    setTimeout(() => controller.abort(new Error('seek')), 50);
    await expect(stalled).rejects.toThrow('seek');
    await expect(source.read(0, 10)).rejects.toThrow('seek');

    const closing = await openHttpSource(server.url('/stalls.bin'));
    const pending = closing.read(1_000_000, 10);
    await closing.close();
    await expect(pending).rejects.toBeInstanceOf(HttpSourceError);
    await expect(closing.read(0, 10)).rejects.toThrow(/read after close/);
  });

  it('an empty file opens as 0 bytes; the decoder then refuses it as FLAC', async () => {
    const source = await openHttpSource(server.url('/empty.flac'));
    expect(source.size).toBe(0);
    await expect(ChunkDecoder.open(source)).rejects.toBeInstanceOf(FlacFormatError);
  });

  it('only takes http(s) URLs', async () => {
    expect(isHttpUrl('https://a.example/x.flac')).toBe(true);
    expect(isHttpUrl('HTTP://a/x.flac')).toBe(true);
    expect(isHttpUrl('/songs/x.flac')).toBe(false);
    expect(isHttpUrl('file:///songs/x.flac')).toBe(false);
    await expect(openHttpSource('file:///x.flac')).rejects.toBeInstanceOf(TypeError);
  });
});

(hasFlacCli ? describe : describe.skip)('ChunkDecoder over HTTP: requests', () => {
  it('opens a stem and decodes its first 0.5 s with two requests (the head, and the tail for the end of the audio)', async () => {
    const flac = flacFixture({ sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 777, blockSize: 4096, seekTable: true });
    const copy = path.join(dir, 'stem.flac');
    await writeFile(copy, await readFile(flac));
    const before = server.requests.length;
    const decoder = await ChunkDecoder.open(await openHttpSource(server.url('/stem.flac')));
    const first = await decoder.decodeRange(0, 24_000);
    expect(first.frameCount).toBe(24_000);
    expect(first.errors).toEqual([]);
    const ranges = rangesSince(before, '/stem.flac');
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBe('bytes=0-262143');
    await decoder.close();
  });
});

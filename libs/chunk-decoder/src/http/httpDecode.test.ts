import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serveStatic } from '@trax/browser-testing';
import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkDecoder } from '../chunkDecoder.js';
import { openFileDecoder } from '../fileDecoder.js';
import { flacFixture, hasFlacCli, referenceDecode, type FixtureParams } from '../flacCli.fixture.js';
import { HttpFileChangedError } from './httpErrors.js';
import { openHttpSource } from './httpSource.js';
import { nginxAvailable, startNginx } from './nginx.fixture.js';

// Bit-exact decoding through the HTTP source, against the reference decoder (`flac -d`), from
// two real servers on loopback: the tests' Node server and Debian's nginx.
if (!hasFlacCli) console.warn('flac CLI not found: HTTP decode tests against the reference decoder skipped');
const withNginx = hasFlacCli && nginxAvailable('chunk-decoder HTTP source');

const params: FixtureParams = { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 45 + 777, blockSize: 4096, seekTable: true };

let root: string;
let reference: Int32Array;

beforeAll(async () => {
  if (!hasFlacCli) return;
  root = await mkdtemp(path.join(tmpdir(), 'trax-http-decode-'));
  await copyFile(flacFixture(params), path.join(root, 'stem.flac'));
  await copyFile(flacFixture({ ...params, seekTable: false }), path.join(root, 'no-seektable.flac'));
  reference = referenceDecode(flacFixture(params), params.bitsPerSample);
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Index of the first sample that differs from the reference slice, or −1. */
function firstMismatch(channelData: Float32Array[], start: number, count: number): number {
  const channels = channelData.length;
  const scale = 2 ** (params.bitsPerSample - 1);
  for (let i = 0; i < count; i++)
    for (let c = 0; c < channels; c++) if (channelData[c][i] !== reference[(start + i) * channels + c] / scale) return i;
  return -1;
}

/** Decodes every chunk in a scrambled order (so chunks are found by seek table and bisection over HTTP). */
async function expectBitExact(url: string): Promise<void> {
  const decoder = await ChunkDecoder.open(await openHttpSource(url), { chunkSeconds: 5 });
  try {
    expect(decoder.totalFrames).toBe(params.frames);
    const order = Array.from({ length: decoder.totalChunks() }, (_, k) => (k * 7) % decoder.totalChunks());
    expect(new Set(order).size).toBe(decoder.totalChunks());
    for (const k of order) {
      const chunk = await decoder.decodeChunk(k);
      expect(chunk.errors).toEqual([]);
      expect(firstMismatch(chunk.channelData, chunk.startFrame, chunk.frameCount)).toBe(-1);
    }
    const tail = await decoder.decodeRange(params.frames - 1000, 1000);
    expect(firstMismatch(tail.channelData, tail.startFrame, 1000)).toBe(-1);
  } finally {
    await decoder.close();
  }
}

(hasFlacCli ? describe : describe.skip)('ChunkDecoder over HTTP (Node server on loopback)', () => {
  it.each(['/stem.flac', '/no-seektable.flac'])('%s: every chunk, in any order, equals flac -d', async (urlPath) => {
    const server = await serveStatic({ root });
    try {
      await expectBitExact(server.url(urlPath));
    } finally {
      await server.close();
    }
  });

  it('resampled chunks are identical to those read from the file', async () => {
    const server = await serveStatic({ root });
    const options = { outputSampleRate: 44100, chunkSeconds: 5 };
    const overHttp = await ChunkDecoder.open(await openHttpSource(server.url('/stem.flac')), options);
    const fromFile = await openFileDecoder(path.join(root, 'stem.flac'), options);
    try {
      for (const k of [3, 0, overHttp.totalChunks() - 1]) {
        const [a, b] = await Promise.all([overHttp.decodeChunk(k), fromFile.decodeChunk(k)]);
        a.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer).equals(Buffer.from(b.channelData[c].buffer))).toBe(true));
      }
    } finally {
      await Promise.all([overHttp.close(), fromFile.close()]);
      await server.close();
    }
  });
});

(withNginx ? describe : describe.skip)('ChunkDecoder over HTTP (nginx)', () => {
  it('every chunk equals flac -d, and a replaced file is noticed by its ETag', async () => {
    const nginx = await startNginx(root);
    try {
      await expectBitExact(nginx.url('/stem.flac'));

      await copyFile(path.join(root, 'stem.flac'), path.join(root, 'replaced.flac'));
      const decoder = await ChunkDecoder.open(await openHttpSource(nginx.url('/replaced.flac')));
      // nginx's ETag is the modification time in seconds and the size: a new upload of the same size changes it.
      await utimes(path.join(root, 'replaced.flac'), new Date(), new Date(Date.now() + 3_600_000));
      const error = await decoder.decodeChunk(5).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpFileChangedError);
      expect(error).toMatchObject({ url: nginx.url('/replaced.flac'), field: 'etag' });
      await decoder.close();
    } finally {
      await nginx.stop();
    }
  });
});

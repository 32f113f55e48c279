import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serveStatic, type StaticServer } from '@trax/browser-testing';
import path from 'node:path';
import { ChunkLoader } from '../ChunkLoader.js';
import { ChunkLoadError } from '../errors.js';
import { hasFlacCli, referenceFlac, referenceFloats, referencePcm, type ReferenceFlacSpec } from '../testing/referenceFlac.fixture.js';

// Stems named by http:// URL: opened by the production decoder factory with chunk-decoder's
// HTTP source, on the calling thread and in worker threads, from a real server on loopback.
const SPEC: ReferenceFlacSpec = { seconds: 7.5, sampleRate: 48_000, channels: 2, bitDepth: 24, seed: 9 };
const describeFlac = hasFlacCli() ? describe : describe.skip;

describeFlac.each([
  ['inline', 0],
  ['1 worker thread', 1],
] as const)('stems by URL (%s)', (_label, workers) => {
  let server: StaticServer;
  let loader: ChunkLoader;
  let file: string;

  beforeAll(async () => {
    file = referenceFlac(SPEC);
    server = await serveStatic({ root: path.dirname(file) });
    loader = await ChunkLoader.start({ workers, urgentOnCallingThread: false, retry: { baseDelayMs: 1 } });
  });
  afterAll(async () => {
    await loader?.stop();
    await server?.close();
  });

  it('decodes every chunk exactly as encoded', async () => {
    const stem = await loader.openStem({ song: 's', stem: 'mix', path: server.url(`/${path.basename(file)}`) });
    expect(stem).toMatchObject({ sampleRate: 48_000, channels: 2, totalFrames: 360_000, totalChunks: 2 });
    const pcm = referencePcm(SPEC);
    for (const index of [1, 0]) {
      const chunk = await loader.request(stem, index, 'normal');
      const expected = referenceFloats(pcm, 24, chunk.startFrame, chunk.frameCount);
      chunk.channelData.forEach((channel, c) => expect(Buffer.from(channel.buffer).equals(Buffer.from(expected[c].buffer))).toBe(true));
    }
    // Read by range only, never the whole file.
    expect(server.requests.filter((r) => r.path === `/${path.basename(file)}`).every((r) => r.status === 206)).toBe(true);
  });

  it('a missing stem fails with the HTTP error naming the URL', async () => {
    const url = server.url('/missing.flac');
    const error = await loader.openStem({ song: 's', stem: 'gone', path: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toMatch(/404/);
    expect(error).not.toBeInstanceOf(ChunkLoadError);
  });
});

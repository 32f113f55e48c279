import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromiumAvailable } from '@trax/browser-testing';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPTS, startWebPoolHarness, type WebPoolHarness } from '../testing/webPoolHarness.fixture.js';
import type { PageStemResult, TraxPage } from '../testing/webPoolPage.fixture.js';

// The FLAC conformance corpus decoded in Chromium: every file the reference decoder accepts, read
// by range from a loopback server through chunk-decoder's HTTP source inside the Web Worker
// pool's workers, chunk by chunk. The same expectations as chunk-decoder's Node conformance test:
// the PCM's MD5 equals the reference decoder's (manifest.json), or the file is refused — exactly
// the files the decoder refuses in Node, with the same error.
const CORPUS = path.resolve(fileURLToPath(new URL('../../../../', import.meta.url)), '../shared/flac-conformance');

interface CorpusEntry {
  readonly file: string;
  readonly referenceDecoderAccepts: boolean;
  readonly referencePcmMd5: string | null;
  readonly expectedMd5: string;
}

const entries = existsSync(path.join(CORPUS, 'manifest.json'))
  ? (JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).files as CorpusEntry[]).filter((entry) => entry.referenceDecoderAccepts)
  : undefined;
if (!entries) console.warn(`FLAC conformance corpus not found at ${CORPUS}: browser conformance test skipped`);
const describeCorpus = entries && chromiumAvailable('chunk-loader browser conformance') ? describe : describe.skip;

/** What the decoder does with the file in Node: the name of the error it refuses it with, or undefined. */
async function nodeRefusal(file: string): Promise<string | undefined> {
  try {
    await (await openFileDecoder(file)).close();
    return undefined;
  } catch (error) {
    return (error as Error).name;
  }
}

describeCorpus('FLAC conformance corpus in Chromium (Web Worker pool, HTTP source)', () => {
  let harness: WebPoolHarness;
  let results: PageStemResult[];
  const accepted = entries ?? [];

  beforeAll(async () => {
    harness = await startWebPoolHarness(CORPUS);
    const error = await harness.page.evaluate((script) => (globalThis as TraxPage).trax.start(script, 2, 2), SCRIPTS.decodeWorker);
    if (error) throw new Error(`the pool did not start: ${error.name}: ${error.message}`);
    const urls = accepted.map((entry) => harness.server.url(`/${entry.file.split('/').map(encodeURIComponent).join('/')}`));
    results = await harness.page.evaluate(([paths, postTo]) => (globalThis as TraxPage).trax.decodeStems(paths, postTo), [urls, harness.server.url('/pcm')] as const);
  }, 120_000);
  afterAll(async () => {
    await harness?.page.evaluate(() => (globalThis as TraxPage).trax.stop());
    await harness?.close();
  });

  it('reads every stem by range only', () => {
    const corpusRequests = harness.server.requests.filter((r) => r.path.endsWith('.flac'));
    expect(corpusRequests.length).toBeGreaterThan(accepted.length);
    expect(corpusRequests.filter((r) => r.status !== 206)).toEqual([]);
  });

  it.each(accepted.map((entry, index): [string, number] => [entry.file, index]))('%s: the same PCM as the reference decoder, or refused as in Node', async (file, index) => {
    const entry = accepted[index];
    const result = results[index];
    const refusal = await nodeRefusal(path.join(CORPUS, file));
    if (refusal) {
      expect(result.refused).toMatchObject({ name: 'RemoteDecodeError', remoteName: refusal });
      expect(result.refused?.message).toContain(result.path);
      return;
    }
    expect(result.refused).toBeUndefined();
    expect(result.issues).toEqual([]);
    expect(result.ownBuffers).toBe(true);
    expect(result.finite).toBe(true);
    expect(result.frames).toBe(result.header?.totalFrames);
    expect(createHash('md5').update(harness.posted.get(index)!).digest('hex')).toBe(entry.referencePcmMd5 ?? entry.expectedMd5);
  });
});

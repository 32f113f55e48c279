import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asRoutes, bundleForBrowser, chromiumAvailable, launchChromium, serveStatic } from '@trax/browser-testing';
import type { LaunchedChromium, StaticServer } from '@trax/browser-testing';
import { fileURLToPath } from 'node:url';
import type { WorkletRun } from './workletPage.fixture.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const describeBrowser = chromiumAvailable('the mixer in an AudioWorklet') ? describe : describe.skip;

describeBrowser('the mixer in an AudioWorklet (Chromium)', () => {
  let server: StaticServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    const files = await bundleForBrowser({ entries: { page: here('./workletPage.fixture.ts'), mixerProcessor: here('./mixerProcessor.ts') } });
    server = await serveStatic({
      routes: { ...asRoutes(files), '/': { body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', contentType: 'text/html; charset=utf-8' } },
    });
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('renders the song in the browser audio thread, sample for sample the sum of its stems, with no underrun', async () => {
    const page = await chromium.newPage();
    await page.goto(server.url('/'));
    await page.waitForFunction(() => 'trax' in globalThis);
    const result = await page.evaluate((seconds) => (globalThis as unknown as { trax: { run(s: number): Promise<WorkletRun> } }).trax.run(seconds), 1.5);
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.sampleRate).toBe(48_000);
    // The context runs in real time: about 1.5 s of quanta, all of them through the tap.
    expect(result.outputFrames).toBeGreaterThan(1.0 * 48_000);
    expect(result.frames).toBeGreaterThan(1.0 * 48_000);
    expect(result.start).toBeGreaterThanOrEqual(0);
    expect(result.maxError).toBeLessThan(1e-6);
    expect(result.underruns).toBe(0);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asRoutes, bundleForBrowser } from './bundleForBrowser.js';
import { chromiumAvailable, launchChromium, type LaunchedChromium } from './launchChromium.js';
import { serveStatic, type StaticServer } from './serveStatic.js';

const describeBrowser = chromiumAvailable('browser-testing') ? describe : describe.skip;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trax-browser-testing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bundleForBrowser', () => {
  it('fails on a node: import, naming the importer', async () => {
    await writeFile(path.join(dir, 'uses-fs.ts'), "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n");
    await expect(bundleForBrowser({ entries: { bad: path.join(dir, 'uses-fs.ts') } })).rejects.toThrow(/node:fs imported by .*uses-fs\.ts: a browser bundle cannot load Node modules/);
  });

  it('stubs a node: module only when listed', async () => {
    const files = await bundleForBrowser({ entries: { ok: path.join(dir, 'uses-fs.ts') }, stubNodeModules: ['node:fs'] });
    expect([...files.keys()]).toEqual(['/ok.js']);
  });
});

describeBrowser('launchChromium + serveStatic', () => {
  let chromium: LaunchedChromium;
  let server: StaticServer;

  beforeAll(async () => {
    // A module worker that reports what it can see; the page starts it and an AudioContext.
    await writeFile(path.join(dir, 'worker.ts'), "postMessage({ isolated: self.crossOriginIsolated, sab: typeof SharedArrayBuffer === 'function' });\n");
    const files = await bundleForBrowser({ entries: { worker: path.join(dir, 'worker.ts') } });
    server = await serveStatic({ routes: { ...asRoutes(files), '/': { body: '<!doctype html><title>t</title>', contentType: 'text/html' } } });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('opens a cross-origin-isolated page whose module worker and AudioContext run', async () => {
    const page = await chromium.newPage();
    await page.goto(server.url('/'));
    const seen = await page.evaluate(async () => {
      const worker = new Worker('/worker.js', { type: 'module' });
      const fromWorker = await new Promise((resolve) => (worker.onmessage = (event) => resolve(event.data)));
      const context = new AudioContext();
      const start = context.currentTime;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const advanced = context.currentTime - start;
      await context.close();
      return { isolated: crossOriginIsolated, fromWorker, state: context.state, advanced };
    });
    expect(seen.isolated).toBe(true);
    expect(seen.fromWorker).toEqual({ isolated: true, sab: true });
    // With --autoplay-policy=no-user-gesture-required the context runs (else it stays suspended at 0).
    expect(seen.advanced).toBeGreaterThan(0.1);
  });
});

// Test fixture: Chromium with a page that runs WebWorkerDecodePool — the page and both worker
// scripts bundled from source, served with cross-origin isolation from 127.0.0.1, optionally
// with a folder of stems beside them.
import { asRoutes, bundleForBrowser, launchChromium, serveStatic, type LaunchedChromium, type StaticServer } from '@trax/browser-testing';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** URL paths of the bundled scripts. */
export const SCRIPTS = { decodeWorker: '/webDecodeWorker.js', syntheticWorker: '/webSyntheticWorker.js' } as const;

export interface WebPoolHarness {
  readonly page: Page;
  readonly server: StaticServer;
  /** Bodies the page POSTed to `/pcm?i=N`, by N. */
  readonly posted: Map<number, Buffer>;
  close(): Promise<void>;
}

/** Bundles, serves (files under `root` too, if given), launches Chromium and opens the page. */
export async function startWebPoolHarness(root?: string): Promise<WebPoolHarness> {
  const files = await bundleForBrowser({
    entries: { page: here('./webPoolPage.fixture.ts'), webDecodeWorker: here('../pool/webDecodeWorker.ts'), webSyntheticWorker: here('./webSyntheticWorker.fixture.ts') },
    // chunk-decoder's main entry still loads its file source (node:fs/promises) until the
    // browser entries of issue 11 land; a worker never calls it (every stem is a URL there).
    stubNodeModules: ['node:fs/promises'],
  });
  const posted = new Map<number, Buffer>();
  const server = await serveStatic({
    ...(root === undefined ? {} : { root }),
    routes: {
      ...asRoutes(files),
      '/': { body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', contentType: 'text/html; charset=utf-8' },
      '/pcm': (request, response) => {
        const body: Buffer[] = [];
        request.on('data', (part: Buffer) => body.push(part));
        request.on('end', () => {
          posted.set(Number(new URL(request.url ?? '', server.origin).searchParams.get('i')), Buffer.concat(body));
          response.writeHead(204).end();
        });
      },
    },
  });
  let chromium: LaunchedChromium | undefined;
  try {
    chromium = await launchChromium();
    const page = await chromium.newPage();
    await page.goto(server.url('/'));
    await page.waitForFunction(() => 'trax' in globalThis);
    const launched = chromium;
    return {
      page,
      server,
      posted,
      async close() {
        await launched.close();
        await server.close();
      },
    };
  } catch (error) {
    await chromium?.close();
    await server.close();
    throw error;
  }
}

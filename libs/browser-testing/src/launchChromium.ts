import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `TRAX_CHROMIUM` overrides it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests find Chromium: `TRAX_CHROMIUM`, else {@link DEFAULT_CHROMIUM}. */
export function chromiumPath(): string {
  return process.env.TRAX_CHROMIUM || DEFAULT_CHROMIUM;
}

/**
 * Whether browser tests can run. Without Chromium they skip with a notice on a developer's
 * machine; under CI (`CI=true`) a missing Chromium is an error (`.ci/run` installs it).
 *
 * @example
 * ```ts
 * const describeBrowser = chromiumAvailable('web decode pool') ? describe : describe.skip;
 * ```
 */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(chromiumPath())) return true;
  const message = `${suite}: no Chromium at ${chromiumPath()} (apt-get install chromium, or set TRAX_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must run the browser tests`);
  console.warn(`${message}: browser tests skipped`);
  return false;
}

/**
 * The only flags Chromium gets (Playwright's ~30 defaults, `--mute-audio` among them, are left
 * out): headless, no GPU, audio allowed to start without a gesture, and no background traffic —
 * the tests run offline and must not wait on sync, component updates or QUIC probes.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Playwright drives the browser over this pipe (its own defaults would add it).
  '--remote-debugging-pipe',
];

export interface LaunchChromiumOptions {
  /** Extra flags after {@link CHROMIUM_FLAGS}. */
  readonly args?: readonly string[];
}

export interface LaunchedChromium {
  readonly browser: Browser;
  /** A page in a fresh context; console errors of the page are echoed with `[page]`. */
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile and home folders. */
  close(): Promise<void>;
}

/**
 * Starts Debian's Chromium headless through playwright-core with only our flags, a fresh profile
 * and `HOME`, `TMPDIR` and `XDG_*` pointed at a temp folder, so nothing is written into the
 * user's home and every run starts clean.
 *
 * @example
 * ```ts
 * const chromium = await launchChromium();
 * const page = await chromium.newPage();
 * await page.goto(server.url('/'));
 * console.log(await page.evaluate(() => crossOriginIsolated));
 * await chromium.close();
 * ```
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<LaunchedChromium> {
  const home = await mkdtemp(path.join(tmpdir(), 'trax-chromium-'));
  const env = {
    ...process.env,
    HOME: home,
    TMPDIR: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_RUNTIME_DIR: home,
  };
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      ignoreDefaultArgs: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${path.join(home, 'profile')}`, ...(options.args ?? [])],
      env,
      timeout: 30_000,
    });
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    async newPage() {
      const page = await (await browser.newContext()).newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[page] ${message.text()}`);
      });
      page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
      return page;
    },
    async close() {
      await browser.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

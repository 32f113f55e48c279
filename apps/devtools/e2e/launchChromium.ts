import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM = process.env.TRAX_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchedChromium {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with only our flags (Playwright's defaults add ~30, e.g. --mute-audio)
 * and a throwaway profile, HOME, TMPDIR and XDG folders, so nothing is written to the home folder
 * and nothing reaches the network. The one place the e2e tests start a browser: to be swapped for
 * the shared harness (libs/browser-testing) when it lands.
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'trax-chromium-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TMPDIR: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_RUNTIME_DIR: home,
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: true,
    env,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--user-data-dir=${path.join(home, 'profile')}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

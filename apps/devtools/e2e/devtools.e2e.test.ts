import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromiumAvailable, launchChromium, type LaunchedChromium } from '@trax/browser-testing';
import { fixture, type GeneratedSetlist } from '@trax/test-audio';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { recordingHeader } from '../src/session/recording.js';
import { syntheticSession } from './syntheticSession.js';
import { startTrax, workspaceRoot, type TraxProcess } from './traxProcess.js';

// End to end: a live `trax play --inspect-port 0` on a generated song, watched by the built devtools
// served by `trax devtools`, in Debian's Chromium. Screenshots of every view go to
// reports/screenshots/devtools/ (test output).
const SHOTS = path.join(workspaceRoot, 'reports/screenshots/devtools');
// Without Chromium the suite is skipped with a notice; under CI=true it fails (.ci/run installs it).
const HAVE_CHROMIUM = chromiumAvailable('devtools e2e');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-devtools-e2e-'));
const STEMS = 6;
let setlist: GeneratedSetlist;
let chromium: LaunchedChromium;
let play: TraxProcess;
let devtools: TraxProcess;
let page: Page;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  mkdirSync(SHOTS, { recursive: true });
  setlist = await fixture({ name: 'devtools-e2e', songs: [{ songId: 'groove', stems: STEMS, seconds: 40, sampleRate: 48_000, bitDepth: 24, channels: 2 }] });
  const script = path.join(tmp, 'script.json');
  // Two seeks far from the playing position: each loads a new buffer set (urgent decodes).
  writeFileSync(script, JSON.stringify([{ at: 4, do: 'seek', to: 25 }, { at: 7, do: 'seek', to: 12 }]));
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1500, height: 900 }, acceptDownloads: true });
  devtools = startTrax(['devtools', '--port', '0'], /^(http:\/\/127\.0\.0\.1:\d+\/)$/m);
  await devtools.match;
}, 180_000);

afterAll(async () => {
  await play?.stop();
  await devtools?.stop();
  await chromium?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
const tab = (name: string) => page.getByRole('tab', { name }).click();
/** The tree as text: every actor's label and state, in order. */
const treeText = () => page.locator('.tree .node').evaluateAll((nodes) => nodes.map((n) => `${n.querySelector('.label')?.textContent}=${n.querySelector('.state')?.textContent}`).join('\n'));

const describeBrowser = HAVE_CHROMIUM ? describe : describe.skip;

describeBrowser('devtools against a live trax play', () => {
  it('shows the tree, a seek in the log and the sequence view, loads in the timelines; a recording reopens with the same tree', async () => {
    play = startTrax(['play', setlist.path, '--realtime', '--quiet', '--no-cache', '--seconds', '10', '--script', path.join(tmp, 'script.json'), '--inspect-port', '0'], /ws:\/\/127\.0\.0\.1:(\d+)\//);
    const endpoint = `ws://127.0.0.1:${(await play.match)[1]}`;
    const [url] = await devtools.match;
    await page.goto(`${url.trim()}?endpoint=${encodeURIComponent(endpoint)}`);
    await page.getByTestId('status').filter({ hasText: 'live:' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '● Record' }).click();

    // 1. The tree: the song and its stem loaders, by systemId.
    await page.locator('[data-actor="song:groove"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-actor^="song:groove/stem:"]').nth(STEMS - 1).waitFor();
    expect(await page.locator('[data-actor^="song:groove/stem:"]').count()).toBe(STEMS);

    // 8. Pause: the view holds still while messages keep arriving; resume follows the stream again.
    await page.getByRole('button', { name: 'Pause' }).click();
    const cursorTime = async () => (await page.getByTestId('cursor-time').textContent())?.split(' / ')[0];
    const held = await cursorTime();
    await page.getByRole('button', { name: /Resume \([\d,]+ buffered\)/ }).waitFor({ timeout: 10_000 });
    expect(await cursorTime()).toBe(held);
    await shot('8-paused');
    await page.getByRole('button', { name: /Resume/ }).click();

    // Wait for both seeks to land (the second at ~7 s of output).
    await page.locator('[data-actor="song:groove/seek:2"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    await shot('1-tree-and-timelines');

    // 2. The statechart of a stem loader, and of all of them with per-state counts.
    await page.locator('[data-actor^="song:groove/stem:"]').first().click();
    await tab('Statechart');
    await page.locator('.react-flow__node.state.active').first().waitFor({ timeout: 20_000 });
    await shot('2-statechart');
    await page.getByLabel(/all stemLoader actors of its parent/).check();
    await page.locator('.react-flow__node', { hasText: '×' }).first().waitFor();
    await shot('2b-statechart-all-stem-loaders');

    // 3. The event log shows the seek; clicking it shows the song's context diff.
    await tab('Event log');
    await page.getByLabel('Filter by type').fill('SONG.SEEK');
    const seekRow = page.locator('.row[data-type="SONG.SEEK"]').first();
    await seekRow.waitFor();
    await seekRow.click();
    await page.getByRole('complementary', { name: 'Event detail' }).getByText(/Context diff/).waitFor();
    await shot('3-event-log');

    // 4. The sequence view of the last 20 s shows the seek as an arrow to the song.
    await tab('Sequence');
    await page.getByLabel('Sequence window').selectOption('20000');
    await page.locator('.arrow[data-type="SONG.SEEK"]').first().waitFor();
    await shot('4-sequence');

    // 5. Timelines: chunk loads per stem and the seeks; the seek panel explains the latency.
    await tab('Audio timelines');
    await page.getByRole('button', { name: 'whole session' }).click();
    expect(await page.locator('[data-lane^="song:groove/stem:"] .load').count()).toBeGreaterThan(STEMS);
    await page.locator('[data-seek="song:groove/seek:1"] rect').dispatchEvent('pointerup');
    await page.getByRole('region', { name: 'Seek explanation' }).getByText(/The seek waited \d+ ms for/).waitFor();
    await shot('5-timelines-seek');

    // 6. Metrics with sparklines.
    await tab('Metrics');
    await page.locator('[data-metric="lastSeekMs"] polyline').waitFor();
    await shot('6-metrics');

    // 9. Triggers: a slow-seek trigger bookmarks the seeks.
    await tab('Triggers');
    await page.getByLabel('Trigger amount').fill('1');
    await page.getByRole('button', { name: 'add trigger' }).click();
    await page.getByText(/song:groove\/seek:1 took \d+ ms/).waitFor();
    await shot('9-triggers');

    // 7. When trax play ends, the devtools say so and keep trying; the recording saved then
    // reopens (without the engine) with the same tree.
    expect(await play.exited).toBe(0);
    await page.getByTestId('status').filter({ hasText: 'reconnecting' }).waitFor({ timeout: 20_000 });
    await shot('8b-connection-lost');
    const liveTree = await treeText();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '■ Stop and save' }).click();
    const recording = path.join(tmp, 'session.jsonl');
    await (await download).saveAs(recording);
    await page.getByLabel('Open recording').setInputFiles(recording);
    await page.getByTestId('status').filter({ hasText: /opened session.jsonl: [\d,]+ messages/ }).waitFor({ timeout: 20_000 });
    expect(await treeText()).toBe(liveTree);
    expect(liveTree).toContain('song:groove/stem:');

    // Replay: scrub back to the first seek; the tree shows the state at the cursor.
    await tab('Audio timelines');
    await page.getByRole('button', { name: 'whole session' }).click();
    await page.locator('[data-seek="song:groove/seek:1"] rect').dispatchEvent('pointerup');
    await page.locator('.seek-panel tr', { hasText: 'loading' }).first().click();
    await page.locator('[data-actor="song:groove/seek:1"] .state', { hasText: 'loading' }).waitFor();
    await shot('7-replay-at-seek');
  }, 150_000);

  it('opens a large recording (30 stems, 100,000+ messages): the log scrolls to its end, one chart counts 30 stem loaders', async () => {
    const file = path.join(tmp, 'synthetic.jsonl');
    const lines = [`${JSON.stringify(recordingHeader('synthetic', 0))}\n`];
    for (const m of syntheticSession({ stems: 30, seconds: 30 * 60, seekEverySeconds: 60 })) lines.push(`${JSON.stringify(m)}\n`);
    const messages = lines.length - 1;
    const logged = lines.filter((l) => !l.startsWith('{"type":"metrics"') && !l.startsWith('{"type":"hello"')).length - 1; // the log leaves out hello and metrics
    const lastLogged = lines.findLast((l) => !l.startsWith('{"type":"metrics"'));
    const lastSeq = (JSON.parse(lastLogged ?? '{}') as { seq: number }).seq;
    writeFileSync(file, lines.join(''));
    expect(messages).toBeGreaterThan(100_000);
    await page.getByLabel('Open recording').setInputFiles(file);
    await page.getByTestId('status').filter({ hasText: `opened synthetic.jsonl: ${messages.toLocaleString('en-US')} messages` }).waitFor({ timeout: 60_000 });
    await page.locator('[data-actor="song:synth/stem:stem30"]').waitFor();

    await tab('Event log');
    await page.getByLabel('snapshots, microsteps, actions').check();
    await page.getByText(`${logged.toLocaleString('en-US')} shown`).waitFor();
    await page.locator('.log-rows').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('.row').last().waitFor();
    expect(await page.locator('.row').count()).toBeLessThan(200); // virtualized: only what is on screen
    await page.locator('.row').last().click();
    await page.getByRole('complementary', { name: 'Event detail' }).getByText(`#${lastSeq}`).waitFor();
    await shot('3b-event-log-large');

    await page.locator('[data-actor="song:synth/stem:stem01"]').click();
    await tab('Statechart');
    await page.getByLabel(/all stemLoader actors of its parent \(30\)/).check();
    await page.locator('.react-flow__node', { hasText: '×30' }).waitFor({ timeout: 20_000 });
    await shot('2c-statechart-30-stem-loaders');
  }, 120_000);
});

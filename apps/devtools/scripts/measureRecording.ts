// Measures how long a 1-hour, 30-stem recording takes to open: generates a synthetic recording
// (e2e/syntheticSession.ts), then reads it as the app does, in Node (parse + index + timelines)
// and, when Debian's Chromium is there, in the built app (Open recording…). Prints the figures.
// Run: npx tsx --conditions=@trax/source apps/devtools/scripts/measureRecording.ts [minutes] [stems]
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumAvailable, launchChromium } from '@trax/browser-testing';
import { syntheticSession } from '../e2e/syntheticSession.js';
import { startTrax } from '../e2e/traxProcess.js';
import { DevtoolsSession } from '../src/session/DevtoolsSession.js';
import { recordingHeader } from '../src/session/recording.js';

const minutes = Number(process.argv[2] ?? 60);
const stems = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), 'trax-recording-'));
const file = path.join(dir, `synthetic-${minutes}min-${stems}stems.jsonl`);
try {
  const out = createWriteStream(file);
  out.write(`${JSON.stringify(recordingHeader('synthetic', Date.now()))}\n`);
  let count = 0;
  let buffer = '';
  for (const message of syntheticSession({ stems, seconds: minutes * 60, seekEverySeconds: 60 })) {
    buffer += `${JSON.stringify(message)}\n`;
    count++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((r) => out.end(() => r()));
  const mb = statSync(file).size / 1e6;
  console.log(`recording: ${minutes} min, ${stems} stems: ${count.toLocaleString()} messages, ${mb.toFixed(0)} MB`);

  const started = performance.now();
  const session = await DevtoolsSession.readRecording(path.basename(file), createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }));
  const ms = performance.now() - started;
  console.log(`node: opened ${session.log.size.toLocaleString()} messages, ${session.timeline.lanes.size} lanes, ${session.timeline.seeks.length} seeks in ${Math.round(ms)} ms; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);

  if (chromiumAvailable('measureRecording')) {
    const devtools = startTrax(['devtools', '--port', '0'], /^(http:\/\/127\.0\.0\.1:\d+\/)$/m);
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage({ viewport: { width: 1500, height: 900 } });
      await page.goto((await devtools.match)[1]);
      const t0 = performance.now();
      await page.getByLabel('Open recording').setInputFiles(file);
      const status = page.getByTestId('status').filter({ hasText: /opened/ });
      await status.waitFor({ timeout: 120_000 });
      console.log(`chromium: ${await status.textContent()} (${Math.round(performance.now() - t0)} ms including the file upload)`);
      await page.getByRole('tab', { name: 'Event log' }).click();
      await page.getByLabel('snapshots, microsteps, actions').check();
      const t1 = performance.now();
      await page.locator('.log-rows').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.locator('.row').last().waitFor();
      console.log(`chromium: event log of every message filtered and scrolled to the end in ${Math.round(performance.now() - t1)} ms`);
    } finally {
      await chromium.close();
      await devtools.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

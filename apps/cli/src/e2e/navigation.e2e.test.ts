import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { parseFloatWav } from '@trax/engine-machines/node';
import { fixture, type GeneratedSetlist } from '@trax/test-audio';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax } from './runTrax.fixture.js';

const RATE = 48_000;
const S = RATE;
let generated: GeneratedSetlist;
let setlistFile: string;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-nav-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  generated = await fixture({ name: 'cli-nav', songs: [{ songId: 'nav', stems: 3, seconds: 12, sampleRate: RATE, bitDepth: 16, channels: 1 }] });
  // The generated song with a tempo (120 BPM in 4/4: a bar is 2 s) and sections.
  const song = generated.songs[0];
  setlistFile = path.join(tmp, 'nav.json');
  writeFileSync(
    setlistFile,
    JSON.stringify({
      name: 'nav',
      songs: [
        {
          id: song.id,
          stems: song.stems.map((stem) => ({ id: stem.id, path: stem.path })),
          tempo: 120,
          timeSignature: '4/4',
          sections: [
            { name: 'Intro', at: 0 },
            { name: 'Verse', at: 4 },
            { name: 'Chorus', at: 8 },
          ],
        },
      ],
    }),
  );
}, 180_000);

/** The independent truth: every stem decoded directly and summed (mono to both sides). */
async function referenceMix(): Promise<Float64Array> {
  const song = generated.songs[0];
  const mix = new Float64Array(song.frames);
  for (const stem of song.stems) {
    const decoder = await openFileDecoder(stem.path);
    const pcm = await decoder.decodeRange(0, decoder.totalFrames);
    for (let i = 0; i < pcm.frameCount; i++) mix[i] += pcm.channelData[0][i];
    await decoder.close();
  }
  return mix;
}

describe('trax play --script: jump, loop, release, cancel-jump', () => {
  it('plays the navigation a script asks for, at the positions computed by hand', async () => {
    const script = path.join(tmp, 'script.json');
    writeFileSync(
      script,
      JSON.stringify([
        { at: 0.5, do: 'loop', from: 2, to: 6 }, // bars 2–3
        { at: 11, do: 'release' }, // at its end: the third pass ends at output 14 s, on from 6 s
        { at: 14.5, do: 'jump', to: 'Verse', when: 'nextBar' }, // song 6.5 s → barStart(5) = 8 s at output 16 s, to 4 s
        { at: 17, do: 'loop', section: 'Verse' }, // [4 s, 8 s): at output 20 s back to 4 s
        { at: 21, do: 'release', when: 'now' }, // song 5 s: on from there
        { at: 21.5, do: 'jump', to: 'Intro', when: 'nextBar' }, // would land at output 22 s…
        { at: 21.8, do: 'cancel-jump' }, // …but is cancelled
        { at: 22, do: 'jump', to: 'Nowhere', when: 'nextBar' }, // refused, with a warning
      ]),
    );
    const out = path.join(tmp, 'nav.wav');
    const run = await runTrax(['play', setlistFile, '--render', '--quiet', '--no-cache', '--seconds', '23', '--script', script, '--out', out], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('trax: jump refused in nav: nav: has no section "Nowhere" (its sections: "Intro", "Verse", "Chorus")\n');
    const wav = parseFloatWav(readFileSync(out));
    expect(wav.channelData[0].length).toBe(23 * S);
    const mix = await referenceMix();
    const songFrame = (i: number) =>
      i < 6 * S ? i : i < 14 * S ? 2 * S + ((i - 6 * S) % (4 * S)) : i < 16 * S ? 6 * S + (i - 14 * S) : i < 20 * S ? 4 * S + (i - 16 * S) : 4 * S + (i - 20 * S);
    let worst = 0;
    for (let i = 0; i < 23 * S; i++) worst = Math.max(worst, Math.abs(wav.channelData[0][i] - mix[songFrame(i)]), Math.abs(wav.channelData[1][i] - mix[songFrame(i)]));
    expect(worst).toBeLessThan(1e-6);
  }, 180_000);
});

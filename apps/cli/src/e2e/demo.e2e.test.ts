import { describe, expect, it } from '@jest/globals';
import { loadSetlist } from '@trax/engine-machines/node';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax } from './runTrax.fixture.js';

describe('trax demo', () => {
  it('writes the demo setlist once (3 songs × 12 stems × 60 s) and reuses it', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-demo-'));
    const dir = path.join(parent, 'demo');
    const first = await runTrax(['demo', dir], { timeoutMs: 300_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const setlistPath = first.stdout.toString().trim();
    expect(setlistPath).toBe(path.join(dir, 'setlist.json'));

    const setlist = await loadSetlist(setlistPath);
    expect(setlist.songs).toHaveLength(3);
    for (const song of setlist.songs) expect(song.stems).toHaveLength(12);
    const stem = setlist.songs[0].stems[0].path;
    const info = JSON.parse((await runTrax(['info', stem, '--json'])).stdout.toString())[0];
    expect(info).toMatchObject({ sampleRate: 48_000, channels: 2, bitDepth: 24, totalFrames: 60 * 48_000 });

    const written = statSync(stem).mtimeMs;
    const second = await runTrax(['demo', dir]);
    expect(second.code).toBe(0);
    expect(second.stdout.toString().trim()).toBe(setlistPath);
    expect(statSync(stem).mtimeMs).toBe(written);
    rmSync(parent, { recursive: true, force: true });
  }, 360_000);
});

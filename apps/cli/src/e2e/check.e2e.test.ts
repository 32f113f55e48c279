import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import type { SetlistCheck } from '@trax/engine-machines';
import { StreamingCache, identifySource } from '@trax/streaming-cache/node';
import { fixture, hasFlacCli } from '@trax/test-audio';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax } from './runTrax.fixture.js';

// A setlist of two songs, every stem 48 kHz 16-bit stereo in 4096-frame blocks unless said:
// "one": ok (10 s), missing (no file), cut (ok truncated inside FLAC frame 70), low (10 s at
//        44.1 kHz), short (8 s);
// "two": two healthy 10 s stems, sections inside the song, its first chunk cached.
let dir: string;
let setlistFile: string;
let cacheDir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'trax-check-'));
  const ten = await fixture({ songId: 'check-ten', stems: 2, seconds: 10, sampleRate: 48_000, bitDepth: 16, channels: 2, blockSize: 4096 });
  const low = await fixture({ songId: 'check-low', stems: 1, seconds: 10, sampleRate: 44_100, bitDepth: 16, channels: 2 });
  const short = await fixture({ songId: 'check-short', stems: 1, seconds: 8, sampleRate: 48_000, bitDepth: 16, channels: 2 });
  mkdirSync(path.join(dir, 'one'));
  mkdirSync(path.join(dir, 'two'));
  copyFileSync(ten.stems[0].path, path.join(dir, 'one', 'ok.flac'));
  copyFileSync(ten.stems[0].path, path.join(dir, 'one', 'cut.flac'));
  copyFileSync(low.stems[0].path, path.join(dir, 'one', 'low.flac'));
  copyFileSync(short.stems[0].path, path.join(dir, 'one', 'short.flac'));
  copyFileSync(ten.stems[0].path, path.join(dir, 'two', 'a.flac'));
  copyFileSync(ten.stems[1].path, path.join(dir, 'two', 'b.flac'));
  if (hasFlacCli()) truncateSync(path.join(dir, 'one', 'cut.flac'), frameOffsets(path.join(dir, 'one', 'cut.flac'))[70] + 500);
  setlistFile = path.join(dir, 'setlist.json');
  const stems = (song: string, ids: string[]) => ids.map((id) => ({ id, path: `${song}/${id}.flac` }));
  writeFileSync(
    setlistFile,
    JSON.stringify({
      name: 'Friday',
      songs: [
        { id: 'one', title: 'The Opener', stems: stems('one', ['ok', 'missing', 'cut', 'low', 'short']) },
        { id: 'two', stems: stems('two', ['a', 'b']), tempo: 120, sections: [{ name: 'Verse', at: 0 }, { name: 'Chorus', at: 8 }] },
      ],
    }),
  );
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'trax-check-cache-'));
  const cache = await StreamingCache.open({ directory: cacheDir });
  for (const stem of ['a', 'b']) {
    const file = path.join(dir, 'two', `${stem}.flac`);
    const decoder = await openFileDecoder(file);
    await cache.writeMetadata('two', stem, {
      source: await identifySource(file, decoder.md5),
      sampleRate: decoder.outputSampleRate,
      sourceSampleRate: decoder.sampleRate,
      channels: decoder.channels,
      bitDepth: decoder.bitDepth,
      chunkFrames: decoder.chunkFrames,
      totalFrames: decoder.totalFrames,
    });
    await cache.writeChunk('two', stem, 0, await decoder.decodeChunk(0));
    await decoder.close();
  }
  await cache.close();
}, 180_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Byte offsets of every FLAC frame, from the reference encoder's analysis (`flac -a`). */
function frameOffsets(file: string): number[] {
  const analysis = `${file}.ana`;
  execFileSync('flac', ['-s', '-f', '-a', '-o', analysis, file]);
  const offsets = [...readFileSync(analysis, 'utf8').matchAll(/^frame=\d+\toffset=(\d+)/gm)].map((m) => Number(m[1]));
  rmSync(analysis);
  return offsets;
}

(hasFlacCli() ? describe : describe.skip)('trax check', () => {
  it('--json reports a missing, a truncated, a 44.1 kHz and a short stem exactly, and exits 1', async () => {
    const run = await runTrax(['check', setlistFile, '--json', '--cache-dir', cacheDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('trax: 1 of 2 songs cannot play\n');
    const report = JSON.parse(run.stdout.toString()) as SetlistCheck;
    expect(report.playable).toBe(false);
    const [one, two] = report.songs;
    const at = (name: string) => path.join(dir, 'one', name);
    expect(one.problems).toEqual([
      { severity: 'error', kind: 'missing-file', stem: 'missing', message: `missing: ${at('missing.flac')} does not exist` },
      // Frames 0–69 are complete: the audio ends at 70 × 4096 = 286,720 frames = 5.973 s.
      { severity: 'error', kind: 'truncated', stem: 'cut', message: `cut: ${at('cut.flac')} is truncated: its audio ends at 0:05.973 of 0:10.000` },
      {
        severity: 'warning',
        kind: 'sample-rate-mismatch',
        stem: 'low',
        message: "low: 44100 Hz while the song's other stems are 48000 Hz (it is resampled to 48000 Hz as it plays)",
      },
      // 8 s = 384,000 frames against 480,000.
      { severity: 'warning', kind: 'length-mismatch', stem: 'short', message: "short: 96000 frames (2.000 s) shorter than the song's other stems (0:10.000)" },
    ]);
    expect(one).toMatchObject({ song: 'one', title: 'The Opener', playable: false, lengthFrames: 480_000, lengthSeconds: 10 });
    expect(one.stems.map((s) => [s.stem, s.readable, s.sampleRate, s.frames, s.outputFrames])).toEqual([
      ['ok', true, 48_000, 480_000, 480_000],
      ['missing', false, undefined, undefined, undefined],
      ['cut', true, 48_000, 480_000, 480_000],
      ['low', true, 44_100, 441_000, 480_000],
      ['short', true, 48_000, 384_000, 384_000],
    ]);
    expect(two).toMatchObject({ song: 'two', playable: true, problems: [], lengthFrames: 480_000 });
    // Song two has its first 5 s chunk of both stems cached, of 10 s; song one nothing.
    expect(two.cache).toEqual({ cachedSeconds: 5, cacheableSeconds: 10 });
    expect(one.cache).toEqual({ cachedSeconds: 0, cacheableSeconds: 10 });
    expect(report.cache).toEqual({ cachedSeconds: 5, cacheableSeconds: 20, fraction: 0.25 });
    expect(report.throughput?.bytes).toBeGreaterThan(0);
    expect(report.throughput?.heaviestSong).toMatch(/one|two/);
  }, 120_000);

  it('prints a readable report', async () => {
    const run = await runTrax(['check', setlistFile, '--cache-dir', cacheDir]);
    expect(run.code).toBe(1);
    const text = run.stdout.toString();
    expect(text).toContain(`Friday (${setlistFile}): 2 songs, 7 stems, at 48000 Hz`);
    expect(text).toContain('[FAIL] one "The Opener"  0:10.000, 5 stems, cached 0.0 of 10.0 s: cannot play');
    expect(text).toContain(`    error    missing: ${path.join(dir, 'one', 'missing.flac')} does not exist`);
    expect(text).toContain('[ok]   two  0:10.000, 2 stems, cached 5.0 of 10.0 s: ok');
    expect(text).toContain("Cache: 5.0 of 20.0 s of the songs' starts cached (25 %)");
    expect(text).toContain('1 of 2 songs cannot play.');
  }, 60_000);

  it('exits 0 for a setlist whose songs can all play', async () => {
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'Good', songs: [{ id: 'two', stems: [{ id: 'a', path: 'two/a.flac' }], transition: { crossfade: 2 } }] }));
    const run = await runTrax(['check', good, '--json', '--no-cache']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout.toString()) as SetlistCheck;
    expect(report.playable).toBe(true);
    expect(report.cache).toBeUndefined();
  }, 60_000);

  it('reports sections past the song end and a broken setlist file', async () => {
    const late = path.join(dir, 'late.json');
    writeFileSync(late, JSON.stringify({ name: 'Late', songs: [{ id: 'two', stems: [{ id: 'a', path: 'two/a.flac' }], sections: [{ name: 'Coda', at: 12 }] }] }));
    const run = await runTrax(['check', late, '--json', '--no-cache']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout.toString()) as SetlistCheck).songs[0].problems).toEqual([
      { severity: 'error', kind: 'timing', jsonPath: 'sections[0].at', message: 'sections[0].at: section "Coda" starts at 0:12.000, at or after the song\'s end (0:10.000)' },
    ]);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ name: 'Broken', songs: [{ id: 'x', stems: [], tempo: 'fast' }] }));
    const bad = await runTrax(['check', broken, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.toString())).toEqual({
      setlist: { source: broken },
      playable: false,
      setlistErrors: [
        { jsonPath: '$.songs[0].stems', problem: 'is empty: a song needs at least one stem' },
        { jsonPath: '$.songs[0].tempo', problem: 'must be a number of beats per minute from 1 to 999' },
      ],
      songs: [],
      problems: [],
    });
    expect(bad.stderr).toBe(`trax: ${broken}: the setlist cannot be read (2 problems)\n`);
  }, 60_000);

  it('exits 2 on bad usage', async () => {
    expect((await runTrax(['check'])).code).toBe(2);
    expect((await runTrax(['check', setlistFile, '--rate', 'fast'])).code).toBe(2);
  }, 60_000);
});

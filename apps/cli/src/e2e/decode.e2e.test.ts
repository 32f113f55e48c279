import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture, hasFlacCli, type GeneratedSong } from '@trax/test-audio';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax } from './runTrax.fixture.js';

let song: GeneratedSong;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-decode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  song = await fixture({ songId: 'cli-decode', stems: 2, seconds: 4, sampleRate: 44_100, bitDepth: 24, channels: 2, blockSize: 4608 });
}, 120_000);

/** The reference: `flac -d` raw output for the same range. */
function flacRaw(file: string, skip: number, frames: number): Buffer {
  return execFileSync('flac', ['-s', '-d', '--force-raw-format', '--endian=little', '--sign=signed', `--skip=${skip}`, `--until=+${frames}`, '-c', file], {
    maxBuffer: 1 << 28,
  });
}

describe('trax decode', () => {
  const flac = hasFlacCli() ? it : it.skip;
  if (!hasFlacCli()) console.warn('flac is not installed: raw-vs-reference decode tests skipped');

  flac.each([
    [0, 1000],
    [4607, 2],
    [100_000, 44_100],
    [176_399, 1],
  ])('--format raw from frame %i for %i frames equals flac -d', async (start, frames) => {
    const stem = song.stems[0].path;
    const out = path.join(tmp, `raw-${start}.raw`);
    const run = await runTrax(['decode', stem, '--start-frame', String(start), '--frames', String(frames), '--format', 'raw', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(out).equals(flacRaw(stem, start, frames))).toBe(true);
  });

  it('writes float32 WAV and f32le to stdout, resampled with --rate', async () => {
    const stem = song.stems[1].path;
    const wav = path.join(tmp, 'out.wav');
    const run = await runTrax(['decode', stem, '--frames', '4410', '--rate', '48000', '--format', 'wav', '--out', wav]);
    expect(run.code).toBe(0);
    const bytes = readFileSync(wav);
    // 44.1 kHz frames → the range is counted at the output rate: 4410 output frames at 48 kHz.
    expect(bytes.readUInt16LE(20)).toBe(3); // IEEE float
    expect(bytes.readUInt32LE(24)).toBe(48_000);
    expect(bytes.readUInt32LE(40)).toBe(4410 * 2 * 4);
    expect(bytes.length).toBe(44 + 4410 * 2 * 4);

    const raw = await runTrax(['decode', stem, '--start-frame', '1000', '--frames', '10', '--format', 'f32le', '--out', '-']);
    expect(raw.code).toBe(0);
    expect(raw.stdout.length).toBe(10 * 2 * 4);
  });

  it('decodes to the end without --frames', async () => {
    const out = path.join(tmp, 'tail.raw');
    const run = await runTrax(['decode', song.stems[0].path, '--start-frame', String(song.frames - 300), '--out', out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out).length).toBe(300 * 2 * 3);
  });

  it.each([
    [['decode'], /required option '--out|missing required argument/],
    [['decode', 'x.flac'], /--out/],
    [['decode', 'x.flac', '--out', '-', '--frames', 'many'], /not a whole number/],
    [['decode', 'x.flac', '--out', '-', '--format', 'mp3'], /--format must be raw, f32le or wav/],
    [['decode', 'x.flac', '--out', '-', '--rate', '48000'], /cannot be resampled/],
    [['frobnicate'], /unknown command/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const run = await runTrax(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 1 naming the file when it is missing or not FLAC', async () => {
    const missing = path.join(tmp, 'missing.flac');
    const run = await runTrax(['decode', missing, '--out', '-']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(missing);

    const notFlac = path.join(tmp, 'notes.flac');
    writeFileSync(notFlac, 'these are my lyrics, not audio');
    const bad = await runTrax(['decode', notFlac, '--out', path.join(tmp, 'never.raw')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(notFlac);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a start frame past the end', async () => {
    const run = await runTrax(['decode', song.stems[0].path, '--start-frame', String(song.frames + 1), '--out', '-']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/past the end/);
  });
});

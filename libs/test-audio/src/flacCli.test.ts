import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { FlacCliError } from './FlacCliError.js';
import { requireTool } from '@trax/reference-tools';
import { encodeWithFlacCli, flacTest, referenceDecode } from './flacCli.js';
import { interleavePcm } from './pcm.js';
import { readStreamInfo } from './readStreamInfo.js';
import { tempDir } from './testDirs.fixture.js';

const withFlac = requireTool('flac') ? it : it.skip;
const dir = tempDir('flac-cli');
const ramp = (n: number, scale: number, offset = 0) => Int32Array.from({ length: n }, (_, i) => ((i * scale + offset) % 60000) - 30000);

describe('reference flac helpers', () => {
  withFlac('referenceDecode de-interleaves what flac encoded from known raw PCM', async () => {
    // Independent path: raw bytes straight to the flac command, then back through referenceDecode.
    const left = ramp(5000, 7);
    const right = ramp(5000, 13, 100);
    const raw = path.join(dir, 'known.raw');
    const file = path.join(dir, 'known.flac');
    await writeFile(raw, interleavePcm([left, right], 16));
    const run = spawnSync('flac', ['--silent', '-f', '--force-raw-format', '--endian=little', '--sign=signed', '--channels=2', '--bps=16', '--sample-rate=44100', '-o', file, raw]);
    expect(run.status).toBe(0);
    const [l, r] = await referenceDecode(file);
    expect([...l]).toEqual([...left]);
    expect([...r]).toEqual([...right]);
  });

  withFlac('flacTest reports a corrupted file with flac\'s message', async () => {
    const file = path.join(dir, 'stream.flac');
    const pcm = [ramp(20000, 3)];
    await encodeWithFlacCli([pcm], { path: file, sampleRate: 44100, bitDepth: 16, channels: 1, totalFrames: 20000, seekTable: false });
    expect(await flacTest(file)).toEqual({ ok: true, output: '' });
    const bytes = await readFile(file);
    bytes[bytes.length - 100] ^= 0xff; // flip bits inside the last frame
    const broken = path.join(dir, 'broken.flac');
    await writeFile(broken, bytes);
    const result = await flacTest(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/error|mismatch/i);
  });

  withFlac('encodeWithFlacCli streams blocks, honours blockSize, and hands each raw block to onRawBlock', async () => {
    const file = path.join(dir, 'blocks.flac');
    const blocks = [[ramp(1000, 5)], [ramp(3000, 11)], [ramp(1, 1)]];
    const seen: number[] = [];
    await encodeWithFlacCli(blocks, { path: file, sampleRate: 48000, bitDepth: 24, channels: 1, totalFrames: 4001, blockSize: 576, seekTable: true, onRawBlock: (raw) => seen.push(raw.length) });
    expect(seen).toEqual([3000, 9000, 3]);
    expect(await readStreamInfo(file)).toMatchObject({ totalSamples: 4001, maxBlockSize: 576, bitsPerSample: 24 });
    const [decoded] = await referenceDecode(file);
    expect([...decoded]).toEqual(blocks.flatMap((b) => [...b[0]]));
  });

  withFlac('encodeWithFlacCli fails with a FlacCliError naming the file when flac cannot write it', async () => {
    const file = path.join(dir, 'no-such-folder', 'x.flac');
    const error = await encodeWithFlacCli([[new Int32Array(10)]], { path: file, sampleRate: 44100, bitDepth: 16, channels: 1, totalFrames: 10, seekTable: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlacCliError);
    expect(error).toMatchObject({ file });
    expect((error as FlacCliError).exitCode).not.toBe(0);
  });

  withFlac('referenceDecode rejects a file that is not FLAC', async () => {
    const file = path.join(dir, 'not.flac');
    await writeFile(file, 'definitely not a flac file, but long enough for the header read');
    await expect(referenceDecode(file)).rejects.toThrow(/not a FLAC file/);
  });
});

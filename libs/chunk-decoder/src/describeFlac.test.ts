import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { memorySource } from './byteSource.js';
import { CORPUS_DIR, corpusEntries } from './conformanceCorpus.fixture.js';
import { describeFlac } from './describeFlac.js';
import { FlacFormatError } from './errors.js';
import { flacFixture, hasFlacCli } from './flacCli.fixture.js';
import { describeFlacFile } from './fileDecoder.js';
import { requireTool } from '@trax/reference-tools';

const describeWithFlac = hasFlacCli && requireTool('metaflac') ? describe : describe.skip;

/** `metaflac --show-…` as the independent truth. */
function metaflac(file: string, ...flags: string[]): string[] {
  return spawnSync('metaflac', [...flags, file], { encoding: 'utf8' }).stdout.trim().split('\n');
}

describeWithFlac('describeFlac', () => {
  it('reports what metaflac reports, without decoding', async () => {
    const file = flacFixture({ sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 25 + 17, blockSize: 4096, seekTable: true });
    const info = await describeFlacFile(file);
    const [rate, channels, bps, total, md5] = metaflac(file, '--show-sample-rate', '--show-channels', '--show-bps', '--show-total-samples', '--show-md5sum');
    expect(info).toMatchObject({
      name: file,
      bytes: statSync(file).size,
      sampleRate: Number(rate),
      channels: Number(channels),
      bitDepth: Number(bps),
      totalFrames: Number(total),
      md5,
      supported: true,
    });
    expect(info.durationSeconds).toBeCloseTo(25 + 17 / 44100, 9);
    // flac's default seek table: one point every 10 s → points at 0, 10, 20 s.
    const listed = metaflac(file, '--list', '--block-type=SEEKTABLE').filter((line) => /point \d+: sample_number=/.test(line));
    expect(info.seekPoints).toBe(listed.length);
    expect(info.seekPoints).toBe(3);
  });
});

const entries = corpusEntries();
(entries ? describe : describe.skip)('describeFlac on refused files', () => {
  it('says why a 32-bit file is unsupported, and throws FlacFormatError for non-FLAC bytes', async () => {
    const info = await describeFlacFile(path.join(CORPUS_DIR, 'uncommon/05 - 32bps audio.flac'));
    expect(info.supported).toBe(false);
    expect(info.bitDepth).toBe(32);
    expect(info.reason).toMatch(/32-bit samples/);
    await expect(describeFlac(memorySource(new TextEncoder().encode('RIFF....WAVE'), 'x.wav'))).rejects.toBeInstanceOf(FlacFormatError);
  });
});

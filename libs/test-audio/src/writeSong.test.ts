import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { requireTool } from '@trax/reference-tools';
import { flacTest, referenceDecode } from './flacCli.js';
import { pcmMd5 } from './pcm.js';
import { readStreamInfo } from './readStreamInfo.js';
import { generateStemPcm } from './StemGenerator.js';
import { metadataBlockTypes, tempDir } from './testDirs.fixture.js';
import { writeSetlist } from './writeSetlist.js';
import { writeSong } from './writeSong.js';

const withFlac = requireTool('flac') ? it : it.skip;
const dir = tempDir('songs');
const same = (a: Int32Array[], b: Int32Array[]) => a.length === b.length && a.every((c, i) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).equals(Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength)));

describe('writeSong', () => {
  // Every rate meets both depths and both channel counts across the two encoders.
  const formats = [
    [44100, 16, 2],
    [44100, 24, 1],
    [48000, 24, 2],
    [48000, 16, 1],
    [96000, 24, 2],
    [96000, 16, 1],
  ] as const;
  const cases = (['internal', 'flac-cli'] as const).flatMap((encoder) => formats.map(([rate, bits, channels]) => [encoder, rate, bits, channels] as const));

  withFlac.each(cases)(
    '%s, %i Hz, %i-bit, %i ch: every stem passes flac -t and decodes to exactly the generated PCM',
    async (encoder, sampleRate, bitDepth, channels) => {
      const seconds = 1.5;
      const song = await writeSong({ dir, songId: `${encoder}-${sampleRate}-${bitDepth}-${channels}`, stems: 6, seconds, sampleRate, bitDepth, channels, encoder });
      expect(song.encoder).toBe(encoder);
      expect(song.stems.map((s) => s.kind)).toEqual(['chords', 'bass', 'drums', 'click', 'noise', 'sparse']);
      for (const stem of song.stems) {
        expect(path.dirname(stem.path)).toBe(song.dir);
        expect(await flacTest(stem.path)).toEqual({ ok: true, output: '' });
        const info = await readStreamInfo(stem.path);
        expect(info).toMatchObject({ sampleRate, bitsPerSample: bitDepth, channels, totalSamples: Math.round(seconds * sampleRate) });
        const generated = generateStemPcm(stem.spec);
        expect(same(await referenceDecode(stem.path), generated)).toBe(true);
        expect(stem.md5).toBe(info.md5);
        expect(pcmMd5(generated, bitDepth)).toBe(info.md5);
      }
    },
    30_000,
  );

  withFlac.each(['internal', 'flac-cli'] as const)('%s: honours blockSize and seekTable', async (encoder) => {
    const common = { dir, stems: 1, seconds: 25, sampleRate: 8000, bitDepth: 16 as const, channels: 1 as const, encoder };
    const withTable = await writeSong({ ...common, songId: `${encoder}-table`, blockSize: 1152, seekTable: true });
    const withoutTable = await writeSong({ ...common, songId: `${encoder}-no-table`, seekTable: false });
    const stemWith = withTable.stems[0].path;
    const stemWithout = withoutTable.stems[0].path;
    expect(await readStreamInfo(stemWith)).toMatchObject({ minBlockSize: 1152, maxBlockSize: 1152 });
    expect(await readStreamInfo(stemWithout)).toMatchObject({ maxBlockSize: 4096 });
    expect(metadataBlockTypes(stemWith)).toContain(3);
    expect(metadataBlockTypes(stemWithout)).not.toContain(3);
    expect((await flacTest(stemWith)).ok).toBe(true);
  });

  it('the internal encoder works without the flac command (no flac -t here, the STREAMINFO MD5 is the check)', async () => {
    const song = await writeSong({ dir, songId: 'internal-only', stems: 2, seconds: 0.5, sampleRate: 48000, bitDepth: 24, channels: 2, encoder: 'internal' });
    for (const stem of song.stems) expect((await readStreamInfo(stem.path)).md5).toBe(pcmMd5(generateStemPcm(stem.spec), 24));
  });

  it('refuses song ids that are not safe as folder names', async () => {
    for (const songId of ['a/b', '..', 'x\\y', 'bad\u0007', '']) {
      await expect(writeSong({ dir, songId, stems: 1, seconds: 0.1, sampleRate: 44100, bitDepth: 16, channels: 1, encoder: 'internal' })).rejects.toThrow(/songId/);
    }
  });
});

describe('writeSetlist', () => {
  it('writes the setlist JSON with paths relative to it, titles, and gainDb only where set', async () => {
    const setlistDir = path.join(dir, 'setlist');
    const setlist = await writeSetlist({
      dir: setlistDir,
      name: 'Friday',
      songs: [
        { songId: 'opener', title: 'The Opener', stems: 4, seconds: 0.5, sampleRate: 44100, bitDepth: 16, channels: 2, encoder: 'internal' },
        { songId: 'closer', stems: 2, seconds: 0.5, sampleRate: 48000, bitDepth: 24, channels: 1, encoder: 'internal' },
      ],
    });
    expect(setlist.path).toBe(path.join(setlistDir, 'setlist.json'));
    const json = JSON.parse(await readFile(setlist.path, 'utf8'));
    expect(json).toEqual({
      name: 'Friday',
      songs: [
        {
          id: 'opener',
          title: 'The Opener',
          stems: [
            { id: '01-chords', path: 'opener/01-chords.flac' },
            { id: '02-bass', path: 'opener/02-bass.flac' },
            { id: '03-drums', path: 'opener/03-drums.flac' },
            { id: '04-click', path: 'opener/04-click.flac', gainDb: -6 },
          ],
        },
        { id: 'closer', title: 'closer', stems: [{ id: '01-chords', path: 'closer/01-chords.flac' }, { id: '02-bass', path: 'closer/02-bass.flac' }] },
      ],
    });
    for (const song of json.songs) {
      for (const stem of song.stems) {
        const info = await readStreamInfo(path.resolve(setlistDir, stem.path));
        expect(info.totalSamples).toBeGreaterThan(0);
      }
    }
  });

  it('refuses duplicate song ids', async () => {
    const song = { songId: 'twice', stems: 1, seconds: 0.1, sampleRate: 44100, bitDepth: 16 as const, channels: 1 as const, encoder: 'internal' as const };
    await expect(writeSetlist({ dir: path.join(dir, 'dup'), name: 'x', songs: [song, song] })).rejects.toThrow(/"twice" appears twice/);
  });
});

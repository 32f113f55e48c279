import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { openFileSource } from './fileSource.js';
import { flacFixture, hasFlacCli, referenceDecode, type FixtureParams } from './flacCli.fixture.js';
import { readFlacMetadata } from './flacMetadata.js';
import { openFileDecoder } from './fileDecoder.js';
import { requireTool } from '@trax/reference-tools';

const describeWithFlac = hasFlacCli && requireTool('metaflac') ? describe : describe.skip;
const params: FixtureParams = { sampleRate: 48000, channels: 2, bitsPerSample: 24, frames: 48000 * 35 + 3, blockSize: 4096, seekTable: true };

describeWithFlac('metadata', () => {
  it('seek points are the ones metaflac lists, at absolute offsets that start frames', async () => {
    const file = flacFixture(params);
    const listing = spawnSync('metaflac', ['--list', '--block-type=SEEKTABLE', file], { encoding: 'utf8' }).stdout;
    const points = [...listing.matchAll(/sample_number=(\d+), stream_offset=(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const source = await openFileSource(file);
    const metadata = await readFlacMetadata(source);
    await source.close();
    expect(points.length).toBe(4); // 0, 10, 20, 30 s
    expect(metadata.seekPoints.map((p) => [p.sample, p.offset - metadata.audioOffset])).toEqual(points);
  });

  it('skips a 2 MB PADDING block and a PICTURE without reading them, and decodes the same audio', async () => {
    const file = flacFixture(params);
    const padded = file.replace(/\.flac$/, '.padded.flac');
    if (!existsSync(padded)) {
      const picture = `${padded}.png`;
      writeFileSync(picture, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300_000, 7)]));
      copyFileSync(file, `${padded}.tmp`);
      const result = spawnSync('metaflac', ['--add-padding=2000000', `--import-picture-from=3|image/png||16x16x24|${picture}`, `${padded}.tmp`], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      spawnSync('mv', [`${padded}.tmp`, padded]);
    }
    const decoder = await openFileDecoder(padded);
    // 16 KB of metadata read-ahead, one 16 KB read past the skipped blocks, the tail probe.
    expect(decoder.bytesRead).toBeLessThan(100_000);
    const pcm = await decoder.decodeRange(48000 * 20, 1000);
    const reference = referenceDecode(file, 24);
    expect(Array.from(pcm.channelData[0])).toEqual(Array.from({ length: 1000 }, (_, i) => reference[(48000 * 20 + i) * 2] / 2 ** 23));
    await decoder.close();
  });
});

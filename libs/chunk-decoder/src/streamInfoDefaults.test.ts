import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { crc16, crc8 } from './crc.js';
import { derivedFixture, flacFixture, hasFlacCli, referenceDecode, referenceFrames, type FixtureParams } from './flacCli.fixture.js';
import { PcmMd5 } from './conformanceCorpus.fixture.js';
import { openFileDecoder } from './fileDecoder.js';

const describeWithFlac = hasFlacCli ? describe : describe.skip;
const params: FixtureParams = { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 8 + 5, blockSize: 4096, seekTable: true };

describeWithFlac('frames that take their sample rate and bit depth from STREAMINFO', () => {
  it('decode exactly (through the TypeScript path: the WebAssembly decoder has no STREAMINFO)', async () => {
    const file = flacFixture(params);
    // Rewrite every frame header to "sample rate: see STREAMINFO" (code 0 instead of 9, 44.1 kHz)
    // and "bit depth: see STREAMINFO" (code 0 instead of 4, 16 bits) — same header length — then
    // fix each frame's CRC-8 and CRC-16.
    const patched = derivedFixture(file, 'streaminfo-defaults2', (bytes) => {
      const frames = referenceFrames(file);
      for (const [i, { offset }] of frames.entries()) {
        const end = i + 1 < frames.length ? frames[i + 1].offset : bytes.length;
        expect(bytes[offset + 2] & 0x0f).toBe(9);
        bytes[offset + 2] &= 0xf0;
        bytes[offset + 3] &= 0xf1;
        // Frame numbers here take 1 byte (< 128 frames); block size codes 6/7 add 1/2 bytes (last frame).
        const blockCode = bytes[offset + 2] >> 4;
        const headerEnd = offset + 5 + (blockCode === 6 ? 1 : blockCode === 7 ? 2 : 0);
        bytes[headerEnd] = crc8(bytes, offset, headerEnd);
        const crc = crc16(bytes, offset, end - 2);
        bytes[end - 2] = crc >> 8;
        bytes[end - 1] = crc & 0xff;
      }
      return bytes;
    });
    // The reference decoder accepts the rewritten file and still matches STREAMINFO's MD5.
    expect(spawnSync('flac', ['-s', '-t', patched]).status).toBe(0);
    const decoder = await openFileDecoder(patched, { chunkSeconds: 3 });
    const md5 = new PcmMd5(16);
    for (let k = 0; k < decoder.totalChunks(); k++) {
      const chunk = await decoder.decodeChunk(k);
      expect(chunk.errors).toEqual([]);
      md5.add(chunk.channelData, chunk.frameCount);
    }
    expect(md5.digest()).toBe(decoder.md5);
    const middle = await decoder.decodeRange(200_000, 5000);
    const reference = referenceDecode(file, 16);
    expect(Array.from(middle.channelData[1])).toEqual(Array.from({ length: 5000 }, (_, i) => reference[(200_000 + i) * 2 + 1] / 32768));
    await decoder.close();
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { deinterleavePcm, interleavePcm, pcmMd5 } from './pcm.js';

describe('pcm', () => {
  it('interleaves little-endian signed, whole bytes per sample', () => {
    const bytes = interleavePcm([Int32Array.of(1, -1), Int32Array.of(-8388608, 8388607)], 24);
    expect([...bytes]).toEqual([0x01, 0x00, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect([...interleavePcm([Int32Array.of(0x1234, -2)], 16)]).toEqual([0x34, 0x12, 0xfe, 0xff]);
  });

  it.each([8, 16, 24])('%i-bit: de-interleaving restores the channels', (bits) => {
    const max = 2 ** (bits - 1) - 1;
    const channels = [Int32Array.of(-max - 1, 0, max, 5), Int32Array.of(max, -3, 1, -max - 1), Int32Array.of(7, 7, -7, 0)];
    const back = deinterleavePcm(interleavePcm(channels, bits), 3, bits);
    expect(back.map((c) => [...c])).toEqual(channels.map((c) => [...c]));
  });

  it('pcmMd5 is the MD5 of the interleaved bytes', () => {
    const channels = [Int32Array.of(1, 2, 3), Int32Array.of(-1, -2, -3)];
    const expected = createHash('md5').update(Buffer.from([1, 0, 0xff, 0xff, 2, 0, 0xfe, 0xff, 3, 0, 0xfd, 0xff])).digest('hex');
    expect(pcmMd5(channels, 16)).toBe(expected);
  });
});

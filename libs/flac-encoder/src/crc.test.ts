import { describe, expect, it } from '@jest/globals';
import { crc16, crc8 } from './crc.js';

describe('crc', () => {
  const check = new TextEncoder().encode('123456789');
  // Published check values of the catalogued CRCs FLAC uses: CRC-8/SMBUS and CRC-16/UMTS (a.k.a. BUYPASS).
  it('CRC-8 (poly 0x07, init 0) of "123456789" is 0xF4', () => expect(crc8(check, 0, check.length)).toBe(0xf4));
  it('CRC-16 (poly 0x8005, init 0) of "123456789" is 0xFEE8', () => expect(crc16(check, 0, check.length)).toBe(0xfee8));
  it('covers only the given range', () => {
    const padded = new Uint8Array([9, 9, ...check, 9]);
    expect(crc16(padded, 2, 11)).toBe(0xfee8);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { crc16, crc16Step, crc8 } from './crc.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('FLAC CRCs', () => {
  // Catalogued check values for "123456789": CRC-8 (poly 0x07, init 0) = 0xF4,
  // CRC-16/UMTS (poly 0x8005, init 0, not reflected) = 0xFEE8.
  it('match the catalogued check values', () => {
    expect(crc8(ascii('123456789'), 0, 9)).toBe(0xf4);
    expect(crc16(ascii('123456789'), 0, 9)).toBe(0xfee8);
  });

  it('the sliced CRC-16 equals the byte-at-a-time one on any bytes and offsets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, skip) => {
        const start = Math.min(skip, bytes.length);
        let running = 0;
        for (let i = start; i < bytes.length; i++) running = crc16Step(running, bytes[i]);
        expect(crc16(bytes, start, bytes.length)).toBe(running);
      }),
    );
  });

  it('a frame followed by its own CRC-16 checks to 0', () => {
    const frame = ascii('any frame bytes');
    const crc = crc16(frame, 0, frame.length);
    expect(crc16(Uint8Array.from([...frame, crc >> 8, crc & 0xff]), 0, frame.length + 2)).toBe(0);
  });
});

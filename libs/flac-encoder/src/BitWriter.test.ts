import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BitWriter } from './BitWriter.js';

/** Reference: the bits as a '0'/'1' string, packed MSB-first and zero-padded. */
function pack(bits: string): number[] {
  const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  return Array.from({ length: padded.length / 8 }, (_, i) => parseInt(padded.slice(8 * i, 8 * i + 8), 2));
}
const field = (value: number, n: number) => (n === 0 ? '' : (value >>> 0).toString(2).padStart(32, '0').slice(32 - n));
const rice = (r: number, k: number) => {
  const u = r >= 0 ? 2 * r : -2 * r - 1;
  return '0'.repeat(Math.floor(u / 2 ** k)) + '1' + field(u % 2 ** k, k);
};

describe('BitWriter', () => {
  it('writes fields of 0..32 bits MSB-first, signed values in two’s complement', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 32 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { maxLength: 40 }), (fields) => {
        const writer = new BitWriter(16);
        let bits = '';
        for (const [n, raw] of fields) {
          writer.ensureCapacity(8);
          writer.writeSigned(raw, n);
          bits += field(raw, n);
        }
        writer.alignToByte();
        expect([...writer.bytes.subarray(0, writer.pos)]).toEqual(pack(bits));
      }),
    );
  });

  it('Rice-codes residuals (zigzag, unary quotient, k low bits), including long outliers and k up to 30', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        // Fractions of the largest magnitude scaled so quotients stay below ~100 bits (up to 2^29).
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 7 }),
        (k, fractions, lead) => {
          const limit = Math.min(2 ** 29, 50 * 2 ** k);
          const residual = fractions.map((f) => Math.round(f * limit));
          const writer = new BitWriter(16);
          writer.ensureCapacity(residual.length * 20);
          writer.writeBits(0, lead); // start unaligned
          writer.writeRicePartition(Int32Array.from(residual), 0, residual.length, k);
          writer.alignToByte();
          expect([...writer.bytes.subarray(0, writer.pos)]).toEqual(pack('0'.repeat(lead) + residual.map((r) => rice(r, k)).join('')));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes unary codes longer than one internal chunk', () => {
    const writer = new BitWriter(4);
    writer.ensureCapacity(16);
    writer.writeUnary(50);
    writer.alignToByte();
    expect([...writer.bytes.subarray(0, writer.pos)]).toEqual(pack('0'.repeat(50) + '1'));
  });
});

/**
 * Big-endian bit reader over `bytes[start, end)` for the FLAC subframe decoder. Reads past `end`
 * yield zero bits and set {@link overrun}, so corrupt data ends a decode instead of a crash, and
 * {@link readUnary} gives up after a bounded number of zero bits instead of looping.
 */
export class BitReader {
  /** Absolute bit position in `bytes`. */
  position: number;
  private readonly endBit: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.position = start * 8;
    this.endBit = end * 8;
  }

  /** True once any read went past `end`. */
  get overrun(): boolean {
    return this.position > this.endBit;
  }

  /** 32 bits starting at byte `index`, zeros past the end. */
  private word(index: number): number {
    const b = this.bytes;
    if (index + 3 < this.end) return ((b[index] << 24) | (b[index + 1] << 16) | (b[index + 2] << 8) | b[index + 3]) >>> 0;
    let w = 0;
    for (let i = 0; i < 4; i++) w = (w << 8) | (index + i < this.end ? b[index + i] : 0);
    return w >>> 0;
  }

  /** Unsigned value of the next `n` bits, 0 ≤ n ≤ 32. */
  readUint(n: number): number {
    if (n === 0) return 0;
    const index = this.position >> 3;
    const shift = this.position & 7;
    this.position += n;
    const high = (this.word(index) << shift) >>> 0;
    if (shift + n <= 32) return high >>> (32 - n) >>> 0;
    // The last (shift + n − 32) bits come from the fifth byte.
    const fifth = index + 4 < this.end ? this.bytes[index + 4] : 0;
    return ((high >>> (32 - n)) | (fifth >>> (40 - shift - n))) >>> 0;
  }

  /** Two's-complement value of the next `n` bits, 1 ≤ n ≤ 32. */
  readInt(n: number): number {
    const value = this.readUint(n);
    return n === 32 ? value | 0 : (value << (32 - n)) >> (32 - n);
  }

  /** Number of 0 bits before the next 1 bit (which is consumed). Throws past the end. */
  readUnary(): number {
    let count = 0;
    for (;;) {
      const shift = this.position & 7;
      const valid = 32 - shift;
      const window = (this.word(this.position >> 3) << shift) >>> 0;
      const zeros = Math.clz32(window);
      if (zeros < valid) {
        this.position += zeros + 1;
        return count + zeros;
      }
      count += valid;
      this.position += valid;
      if (this.position > this.endBit) throw new RangeError('unary code runs past the end of the frame');
    }
  }

  /** Skips to the next byte boundary. */
  alignToByte(): void {
    this.position = (this.position + 7) & ~7;
  }
}

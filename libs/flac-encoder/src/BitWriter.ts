/**
 * MSB-first bit writer over a growable byte buffer. Fewer than 8 bits are ever pending in `acc`,
 * so `acc << n` for n <= 24 stays below 2^31 and plain int32 arithmetic is exact; wider fields are
 * split. Callers reserve room with `ensureCapacity` once per frame, so the hot paths never check.
 */
export class BitWriter {
  bytes: Uint8Array;
  /** Whole bytes written so far. */
  pos = 0;
  private acc = 0;
  private accBits = 0;

  constructor(initialCapacity = 1 << 16) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Makes room for at least `extraBytes` more bytes (plus the pending partial byte). */
  ensureCapacity(extraBytes: number): void {
    const needed = this.pos + extraBytes + 8;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }

  /** Writes the low `n` bits of `value` (0 <= n <= 32; higher bits of `value` must be zero for n < 32). */
  writeBits(value: number, n: number): void {
    if (n > 24) {
      this.writeSmall((value >>> 16) & ((1 << (n - 16)) - 1), n - 16);
      this.writeSmall(value & 0xffff, 16);
    } else {
      this.writeSmall(value, n);
    }
  }

  /** Writes `value` as an n-bit two's complement number (n <= 32). */
  writeSigned(value: number, n: number): void {
    this.writeBits(n === 32 ? value >>> 0 : value & ((1 << n) - 1), n);
  }

  /** Writes `count` zero bits followed by a one: the unary code FLAC uses for wasted bits and Rice quotients. */
  writeUnary(count: number): void {
    while (count >= 24) {
      this.writeSmall(0, 24);
      count -= 24;
    }
    this.writeSmall(1, count + 1);
  }

  /**
   * Rice-codes `residual[start, end)` with parameter `k` (0..30): zigzag u = 2r or -2r-1, then
   * u >> k in unary and the low k bits. The common case (quotient + 1 + k <= 24 bits) is one
   * shift-or; the loop keeps the writer state in locals because it runs once per sample.
   */
  writeRicePartition(residual: Int32Array, start: number, end: number, k: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    let acc = this.acc;
    let accBits = this.accBits;
    const lowMask = (1 << k) - 1;
    const marker = 1 << k;
    for (let i = start; i < end; i++) {
      const r = residual[i];
      const u = (r << 1) ^ (r >> 31);
      const q = u >>> k;
      const n = q + 1 + k;
      if (n <= 24) {
        acc = (acc << n) | marker | (u & lowMask);
        accBits += n;
      } else {
        // Rare long code (an outlier sample or a large k): go through the general writers.
        this.pos = pos;
        this.acc = acc;
        this.accBits = accBits;
        this.writeUnary(q);
        this.writeBits(u & lowMask, k);
        pos = this.pos;
        acc = this.acc;
        accBits = this.accBits;
        continue;
      }
      while (accBits >= 8) {
        accBits -= 8;
        bytes[pos++] = acc >>> accBits;
      }
      acc &= (1 << accBits) - 1;
    }
    this.pos = pos;
    this.acc = acc;
    this.accBits = accBits;
  }

  /** Pads with zero bits to the next byte boundary. */
  alignToByte(): void {
    if (this.accBits > 0) this.writeSmall(0, 8 - this.accBits);
  }

  /** True when no partial byte is pending. */
  get isByteAligned(): boolean {
    return this.accBits === 0;
  }

  /** Drops everything written (keeps the buffer). */
  reset(): void {
    this.pos = 0;
    this.acc = 0;
    this.accBits = 0;
  }

  private writeSmall(value: number, n: number): void {
    let acc = (this.acc << n) | value;
    let accBits = this.accBits + n;
    while (accBits >= 8) {
      accBits -= 8;
      this.bytes[this.pos++] = acc >>> accBits;
    }
    acc &= (1 << accBits) - 1;
    this.acc = acc;
    this.accBits = accBits;
  }
}

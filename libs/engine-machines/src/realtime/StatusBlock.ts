/*
 * A block of float64 values that one thread publishes and others read as a consistent snapshot:
 * the mixer's status (output clock, transport, current song) and each song's counters (play
 * position, underruns...). The writer never waits; a reader retries.
 *
 *   bytes 0..7   Int32 × 2: sequence (odd while the writer is inside a write), value count
 *   bytes 8..    Float64 × count
 *
 * A seqlock, because float64 element accesses may tear under the JS memory model and a reader
 * must not see a position from one quantum beside an underrun count from another.
 */

const SEQ = 0;
const COUNT = 1;
const HEADER_BYTES = 8;

export function statusBlockBytes(count: number): number {
  return HEADER_BYTES + count * 8;
}

/** Views over a status block; the writer and each reader build their own over the same bytes. */
export class StatusBlock {
  /** Writer: write between `begin()` and `end()`. Readers: use `snapshot()` instead. */
  readonly values: Float64Array;
  private readonly header: Int32Array;

  constructor(readonly buffer: ArrayBuffer | SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.values = new Float64Array(buffer, HEADER_BYTES, this.header[COUNT]);
  }

  static create(count: number, shared: boolean): StatusBlock {
    const bytes = statusBlockBytes(count);
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    new Int32Array(buffer, 0, 2)[COUNT] = count;
    return new StatusBlock(buffer);
  }

  /** Writer thread (audio): starts a write. No allocation. */
  begin(): void {
    Atomics.add(this.header, SEQ, 1);
  }

  /** Writer thread (audio): publishes the values written since `begin()`. */
  end(): void {
    Atomics.add(this.header, SEQ, 1);
  }

  /**
   * Reader thread (control): copies a consistent snapshot into `into` (at least as long as the
   * block). Spins while the writer is inside a write — a few hundred nanoseconds at most, since
   * the writer never blocks inside one.
   */
  snapshot(into: Float64Array): Float64Array {
    for (;;) {
      const before = Atomics.load(this.header, SEQ);
      if ((before & 1) === 0) {
        into.set(this.values);
        if (Atomics.load(this.header, SEQ) === before) return into;
      }
    }
  }
}

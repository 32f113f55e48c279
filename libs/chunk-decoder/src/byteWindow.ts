import type { ByteSource } from './byteSource.js';
import type { ByteOffset } from './units.js';

/**
 * A read-ahead window over a {@link ByteSource}: keeps one contiguous run of bytes and extends or
 * moves it on demand, so parsers can look at bytes by absolute offset without one `read` per
 * field. Reads at least `readAhead` bytes at a time (16 KB ≈ 4 metadata pages or a few frames).
 */
export class ByteWindow {
  private bytes: Uint8Array = new Uint8Array(0);
  private start: ByteOffset = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly readAhead = 16 * 1024,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** Absolute offset of `view()[0]`. */
  get viewStart(): ByteOffset {
    return this.start;
  }

  /** The bytes currently held, starting at {@link viewStart}. */
  view(): Uint8Array {
    return this.bytes;
  }

  /** End offset (exclusive) of the bytes held. */
  get viewEnd(): ByteOffset {
    return this.start + this.bytes.length;
  }

  /**
   * Makes `[offset, offset + length)` available (clipped at end of file) and returns how many of
   * those bytes are available. Keeps what it already has when the request overlaps it.
   */
  async ensure(offset: ByteOffset, length: number): Promise<number> {
    const end = Math.min(this.source.size, offset + length);
    if (offset >= this.start && end <= this.viewEnd) return end - offset;
    if (offset >= this.start && offset <= this.viewEnd && this.bytes.length > 0) {
      // Extend the held run forward: read only the missing tail, at least `readAhead` bytes.
      // Callers size `readAhead` to what they expect to need, so extensions (copies) are rare.
      const want = Math.max(end - this.viewEnd, this.readAhead);
      const more = await this.source.read(this.viewEnd, want);
      const joined = new Uint8Array(this.bytes.length + more.length);
      joined.set(this.bytes, 0);
      joined.set(more, this.bytes.length);
      this.bytes = joined;
    } else {
      this.start = offset;
      this.bytes = await this.source.read(offset, Math.max(end - offset, this.readAhead));
    }
    return Math.max(0, Math.min(end, this.viewEnd) - offset);
  }

  /** Byte at an absolute offset that {@link ensure} has made available. */
  at(offset: ByteOffset): number {
    return this.bytes[offset - this.start];
  }

  /** Drops everything before `offset` (keeps memory bounded while walking a long range). */
  discardBefore(offset: ByteOffset): void {
    if (offset <= this.start) return;
    const cut = Math.min(offset - this.start, this.bytes.length);
    this.bytes = this.bytes.subarray(cut);
    this.start += cut;
  }
}

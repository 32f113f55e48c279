/*
 * A lock-free single-producer / single-consumer ring of interleaved float32 audio frames in one
 * (Shared)ArrayBuffer: the audio thread writes what it rendered, another thread takes it (to a
 * file, a pipe, a test). The writer never waits: when the reader falls behind by the whole ring,
 * the quantum is dropped and counted.
 *
 *   bytes 0..15   Int32 × 4: write index (frames, writer only), read index (frames, reader only),
 *                 frames dropped (writer only), capacity (frames)
 *   bytes 16..    Float32 × capacity × channels, interleaved
 */

const WRITE = 0;
const READ = 1;
const DROPPED = 2;
const CAPACITY = 3;
const HEADER_BYTES = 16;

export class PcmRing {
  readonly capacity: number;
  private readonly header: Int32Array;
  private readonly data: Float32Array;

  /** Any thread, outside the audio callback: views over a buffer made by {@link PcmRing.create}. */
  constructor(
    readonly buffer: ArrayBuffer | SharedArrayBuffer,
    readonly channels: number,
  ) {
    this.header = new Int32Array(buffer, 0, 4);
    this.capacity = this.header[CAPACITY];
    this.data = new Float32Array(buffer, HEADER_BYTES, this.capacity * channels);
  }

  /** A ring of `capacity` frames (one frame is always left free). */
  static create(capacity: number, channels: number, shared: boolean): PcmRing {
    const bytes = HEADER_BYTES + capacity * channels * 4;
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    new Int32Array(buffer, 0, 4)[CAPACITY] = capacity;
    return new PcmRing(buffer, channels);
  }

  /** Writer (audio thread): appends `frames` frames of planar `channels`; drops them all when they do not fit. No allocation. */
  write(planar: readonly Float32Array[], frames: number): void {
    const capacity = this.capacity;
    const write = Atomics.load(this.header, WRITE);
    const read = Atomics.load(this.header, READ);
    const used = write >= read ? write - read : write + capacity - read;
    if (capacity - 1 - used < frames) {
      Atomics.add(this.header, DROPPED, frames);
      return;
    }
    const channels = this.channels;
    const data = this.data;
    let at = write;
    for (let i = 0; i < frames; i++) {
      const base = at * channels;
      for (let c = 0; c < channels; c++) data[base + c] = c < planar.length ? planar[c][i] : 0;
      at = at + 1 === capacity ? 0 : at + 1;
    }
    Atomics.store(this.header, WRITE, at);
  }

  /**
   * Reader: visits the frames waiting, as at most two interleaved views (the ring wraps), then
   * frees them. The views are only valid inside the visitor.
   */
  read(visit: (interleaved: Float32Array, frames: number) => void): number {
    const capacity = this.capacity;
    const write = Atomics.load(this.header, WRITE);
    const read = Atomics.load(this.header, READ);
    if (write === read) return 0;
    const channels = this.channels;
    const first = write > read ? write - read : capacity - read;
    visit(this.data.subarray(read * channels, (read + first) * channels), first);
    let total = first;
    if (write < read && write > 0) {
      visit(this.data.subarray(0, write * channels), write);
      total += write;
    }
    Atomics.store(this.header, READ, write);
    return total;
  }

  /** Frames the writer dropped because the reader fell behind. */
  get dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }
}

/*
 * A lock-free single-producer / single-consumer ring of fixed-size records of float64 fields, in
 * one (Shared)ArrayBuffer, so the control thread and the audio thread can exchange commands and
 * events without postMessage, locks or allocation.
 *
 *   bytes 0..15   header Int32 × 4: write index (written by the producer only),
 *                 read index (written by the consumer only), records dropped because the ring
 *                 was full (producer only), capacity
 *   bytes 16..    records Float64 × fields each
 *
 * Each index is written by exactly one side and read by the other with Atomics (sequentially
 * consistent), so a record's fields, written before the producer publishes the new write index,
 * are visible to the consumer that loads that index (the JS memory model's synchronises-with).
 * One record is always left empty so that `write === read` means empty, never full.
 */

const WRITE = 0;
const READ = 1;
const DROPPED = 2;
const CAPACITY = 3;
const HEADER_BYTES = 16;

/** Bytes of a ring of `capacity` records of `fields` float64 fields (capacity − 1 usable). */
export function spscRingBytes(capacity: number, fields: number): number {
  return HEADER_BYTES + capacity * fields * 8;
}

/**
 * Both ends of one ring, over the same bytes; each thread builds its own `SpscRing` over the
 * buffer and uses only its side's methods. After construction no method allocates, awaits or
 * throws.
 *
 * @example
 * const ring = SpscRing.create(256, 4, true);
 * // producer thread
 * const at = ring.claim();
 * if (at >= 0) { ring.data[at] = 1; ring.data[at + 1] = 42; ring.publish(); }
 * // consumer thread, over the same SharedArrayBuffer
 * const reader = new SpscRing(ring.buffer, 4);
 * for (let at = reader.peek(); at >= 0; at = reader.peek()) { use(reader.data[at]); reader.consume(); }
 */
export class SpscRing {
  /** The records: a claimed or peeked record's fields are `data[at .. at + fields)`. */
  readonly data: Float64Array;
  readonly capacity: number;
  private readonly header: Int32Array;

  /** Any thread, outside the audio callback: views over a buffer made by {@link SpscRing.create}. */
  constructor(
    readonly buffer: ArrayBuffer | SharedArrayBuffer,
    readonly fields: number,
  ) {
    this.header = new Int32Array(buffer, 0, 4);
    this.capacity = this.header[CAPACITY];
    this.data = new Float64Array(buffer, HEADER_BYTES, this.capacity * fields);
  }

  /** Allocates an empty ring (shared: a SharedArrayBuffer another thread can open). */
  static create(capacity: number, fields: number, shared: boolean): SpscRing {
    const bytes = spscRingBytes(capacity, fields);
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    new Int32Array(buffer, 0, 4)[CAPACITY] = capacity;
    return new SpscRing(buffer, fields);
  }

  /** Producer: the index in `data` of the next free record, or −1 when the ring is full (counted as dropped). */
  claim(): number {
    const write = Atomics.load(this.header, WRITE);
    const next = write + 1 === this.capacity ? 0 : write + 1;
    if (next === Atomics.load(this.header, READ)) {
      Atomics.add(this.header, DROPPED, 1);
      return -1;
    }
    return write * this.fields;
  }

  /** Producer: makes the record last claimed visible to the consumer. */
  publish(): void {
    const write = Atomics.load(this.header, WRITE);
    Atomics.store(this.header, WRITE, write + 1 === this.capacity ? 0 : write + 1);
  }

  /** Consumer: the index in `data` of the oldest unread record, or −1 when the ring is empty. */
  peek(): number {
    const read = Atomics.load(this.header, READ);
    return read === Atomics.load(this.header, WRITE) ? -1 : read * this.fields;
  }

  /** Consumer: frees the record last peeked. */
  consume(): void {
    const read = Atomics.load(this.header, READ);
    Atomics.store(this.header, READ, read + 1 === this.capacity ? 0 : read + 1);
  }

  /** Either side: records waiting to be read. */
  get size(): number {
    const write = Atomics.load(this.header, WRITE);
    const read = Atomics.load(this.header, READ);
    return write >= read ? write - read : write + this.capacity - read;
  }

  /** Either side: records the producer could not write because the ring was full. */
  get dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }
}

import { FREE_SLOT, SLOT_CHUNK_INDEX, SLOT_INTS, SLOT_SEQ, SLOT_VALID_END, SLOT_VALID_START } from './BufferStorage.js';
import type { BufferStorage } from './BufferStorage.js';
import type { HeldRange } from '../refillPolicy.js';
import type { ChunkIndex, Frames } from '../units.js';

/** Samples to copy into a slot: `count` frames of each `channelData[c]` from `sourceOffset`. */
export interface SlotSource {
  readonly channelData: readonly Float32Array[];
  readonly sourceOffset: Frames;
  readonly count: Frames;
}

/**
 * The single writer of a storage's slot table and samples. It applies the publication rules
 * described in BufferStorage.ts so that readers on other threads never see torn data; which slot
 * to use is decided by the caller (StreamingBuffer). Control thread only, and only one instance
 * per storage.
 */
export class SlotWriter {
  private readonly slots: Int32Array;

  constructor(private readonly storage: BufferStorage) {
    this.slots = storage.slots;
  }

  get slotCount(): number {
    return this.storage.slotCount;
  }

  /** The chunk held by `slot`, or `FREE_SLOT`. */
  chunkIn(slot: number): ChunkIndex {
    return this.slots[slot * SLOT_INTS + SLOT_CHUNK_INDEX];
  }

  /** The valid frames of `slot` (meaningless for a free slot). */
  rangeOf(slot: number): HeldRange {
    const base = slot * SLOT_INTS;
    return { validStart: this.slots[base + SLOT_VALID_START], validEnd: this.slots[base + SLOT_VALID_END] };
  }

  /** The slot holding chunk `index`, or −1. */
  slotOf(index: ChunkIndex): number {
    for (let slot = 0; slot < this.storage.slotCount; slot++) if (this.chunkIn(slot) === index) return slot;
    return -1;
  }

  /** A free slot, or −1. */
  freeSlot(): number {
    return this.slotOf(FREE_SLOT);
  }

  /** Rule 1: makes `slot` hold frames `[validStart, validStart + source.count)` of chunk `index`, replacing whatever it held. */
  fill(slot: number, index: ChunkIndex, validStart: Frames, source: SlotSource): void {
    const base = slot * SLOT_INTS;
    Atomics.add(this.slots, base + SLOT_SEQ, 1);
    Atomics.store(this.slots, base + SLOT_CHUNK_INDEX, FREE_SLOT);
    this.copyIn(slot, validStart, source, 0, source.count);
    Atomics.store(this.slots, base + SLOT_VALID_START, validStart);
    Atomics.store(this.slots, base + SLOT_VALID_END, validStart + source.count);
    Atomics.store(this.slots, base + SLOT_CHUNK_INDEX, index);
    Atomics.add(this.slots, base + SLOT_SEQ, 1);
  }

  /**
   * Rule 2: adds frames `[start, start + source.count)` to `slot`, which must overlap or touch its
   * valid range; only the frames outside the current range are written.
   */
  extend(slot: number, start: Frames, source: SlotSource): void {
    const base = slot * SLOT_INTS;
    const { validStart, validEnd } = this.rangeOf(slot);
    const end = start + source.count;
    if (start < validStart) this.copyIn(slot, start, source, 0, validStart - start);
    if (end > validEnd) this.copyIn(slot, validEnd, source, validEnd - start, end - validEnd);
    if (start < validStart) Atomics.store(this.slots, base + SLOT_VALID_START, start);
    if (end > validEnd) Atomics.store(this.slots, base + SLOT_VALID_END, end);
  }

  /** Rule 3: marks `slot` free; its samples stay readable until it is filled again. */
  free(slot: number): void {
    Atomics.store(this.slots, slot * SLOT_INTS + SLOT_CHUNK_INDEX, FREE_SLOT);
  }

  /** Copies `count` frames, starting `skip` frames into the source, to frame `at` of `slot`. */
  private copyIn(slot: number, at: Frames, source: SlotSource, skip: Frames, count: Frames): void {
    const { samples, channels, chunkFrames } = this.storage;
    const from = source.sourceOffset + skip;
    for (let c = 0; c < channels; c++) {
      samples.set(source.channelData[c].subarray(from, from + count), (slot * channels + c) * chunkFrames + at);
    }
  }
}

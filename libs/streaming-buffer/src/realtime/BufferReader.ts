import {
  openBufferStorage,
  SLOT_CHUNK_INDEX,
  SLOT_INTS,
  SLOT_SEQ,
  SLOT_VALID_END,
  SLOT_VALID_START,
} from '../storage/BufferStorage.js';
import type { BufferStorage } from '../storage/BufferStorage.js';
import type { ChunkIndex, Frames } from '../units.js';

/**
 * The audio-thread side of a stem's streaming buffer: copies frames out of the slot storage into
 * caller-provided planar arrays. Real-time safe: after construction no method allocates, awaits or
 * throws; frames it does not hold are written as silence and counted as missing.
 *
 * Construct it outside the audio callback: in the same thread with `buffer.reader`, or in an
 * AudioWorklet from the storage the control thread posted (`BufferReader.fromBuffer(sab)`).
 *
 * @example
 * ```ts
 * // in an AudioWorkletProcessor, storage posted once from the control thread:
 * const reader = BufferReader.fromBuffer(event.data.storage);
 * // in process():
 * const missing = reader.read(position, 128, outputs[0], 0);
 * position += 128;
 * ```
 */
export class BufferReader {
  readonly channels: number;
  readonly chunkFrames: Frames;
  /** `Infinity` when unknown. */
  readonly totalFrames: Frames;
  private readonly slots: Int32Array;
  private readonly samples: Float32Array;
  private readonly slotCount: number;
  /** `seq` of the slot last found by `findSlot` — a field so that finding returns one number and allocates nothing. */
  private foundSeq = 0;

  constructor(storage: BufferStorage) {
    this.channels = storage.channels;
    this.chunkFrames = storage.chunkFrames;
    this.totalFrames = storage.totalFrames;
    this.slots = storage.slots;
    this.samples = storage.samples;
    this.slotCount = storage.slotCount;
  }

  /** Any thread, outside the audio callback (it allocates views and may throw `StorageLayoutError`). */
  static fromBuffer(buffer: ArrayBuffer | SharedArrayBuffer): BufferReader {
    return new BufferReader(openBufferStorage(buffer));
  }

  /**
   * Audio thread (or any thread). Writes the stem's frames `[position, position + frames)` into
   * `out[c][offset ..]` for each channel `c < min(out.length, channels)`; frames not held are written
   * as 0. Returns how many of them were missing (0 = all real data, `frames` = nothing held).
   * Frames before 0 or from `totalFrames` on are silence by definition and not counted missing.
   * Writes are clipped to each output array's length; a negative or fractional `offset` writes
   * nothing and reports every frame missing.
   */
  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames = 0): Frames {
    if (!Number.isSafeInteger(frames) || frames <= 0) return 0;
    if (!Number.isSafeInteger(offset) || offset < 0) return frames;
    if (!Number.isSafeInteger(position)) {
      // Not a frame position (NaN, fractional): we cannot tell which frames were meant.
      this.silence(out, offset, offset + frames);
      return frames;
    }
    const end = position + frames;
    const chunkFrames = this.chunkFrames;
    const total = this.totalFrames;
    let missing = 0;
    let p = position;
    while (p < end) {
      const at = offset + (p - position);
      if (p < 0) {
        const upTo = end < 0 ? end : 0;
        this.silence(out, at, at + (upTo - p));
        p = upTo;
      } else if (p >= total) {
        this.silence(out, at, at + (end - p));
        p = end;
      } else {
        const index = Math.floor(p / chunkFrames);
        const chunkStart = index * chunkFrames;
        let upTo = chunkStart + chunkFrames;
        if (upTo > end) upTo = end;
        if (upTo > total) upTo = total;
        missing += this.readFromChunk(index, p - chunkStart, upTo - p, out, at);
        p = upTo;
      }
    }
    return missing;
  }

  /**
   * Audio thread (or any thread). Frames of real data held contiguously from `position` on, through
   * chunk boundaries, up to the end of the stem; 0 when the frame at `position` is missing.
   */
  framesAvailableAt(position: Frames): Frames {
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.totalFrames) return 0;
    const slots = this.slots;
    const chunkFrames = this.chunkFrames;
    let p = position;
    while (p < this.totalFrames) {
      const index = Math.floor(p / chunkFrames);
      const slot = this.findSlot(index);
      if (slot < 0) break;
      const chunkStart = index * chunkFrames;
      const validStart = Atomics.load(slots, slot * SLOT_INTS + SLOT_VALID_START);
      const validEnd = Atomics.load(slots, slot * SLOT_INTS + SLOT_VALID_END);
      if (p - chunkStart < validStart || p - chunkStart >= validEnd) break;
      p = chunkStart + validEnd;
      if (validEnd < chunkFrames) break;
    }
    return (p > this.totalFrames ? this.totalFrames : p) - position;
  }

  /** Copies `count` frames from `from` (relative to the chunk's first frame) of chunk `index`; returns frames missing. */
  private readFromChunk(index: ChunkIndex, from: Frames, count: Frames, out: Float32Array[], at: Frames): Frames {
    const slot = this.findSlot(index);
    if (slot < 0) {
      this.silence(out, at, at + count);
      return count;
    }
    const slots = this.slots;
    const seqBefore = this.foundSeq;
    const validStart = Atomics.load(slots, slot * SLOT_INTS + SLOT_VALID_START);
    const validEnd = Atomics.load(slots, slot * SLOT_INTS + SLOT_VALID_END);
    const copyFrom = from > validStart ? from : validStart;
    const copyTo = from + count < validEnd ? from + count : validEnd;
    if (copyTo <= copyFrom) {
      this.silence(out, at, at + count);
      return count;
    }
    const copyAt = at + (copyFrom - from);
    const copied = copyTo - copyFrom;
    this.silence(out, at, copyAt);
    this.copy(slot, copyFrom, copied, out, copyAt);
    this.silence(out, copyAt + copied, at + count);
    // Seqlock re-check (see BufferStorage.ts, rule 1): a read-modify-write that changes nothing.
    if (Atomics.compareExchange(slots, slot * SLOT_INTS + SLOT_SEQ, seqBefore, seqBefore) !== seqBefore) {
      this.silence(out, copyAt, copyAt + copied);
      return count;
    }
    return count - copied;
  }

  /** The slot holding chunk `index`, or −1; leaves the slot's `seq` (even) in `foundSeq`. */
  private findSlot(index: ChunkIndex): number {
    const slots = this.slots;
    for (let slot = 0; slot < this.slotCount; slot++) {
      const base = slot * SLOT_INTS;
      const seq = Atomics.load(slots, base + SLOT_SEQ);
      if ((seq & 1) === 0 && Atomics.load(slots, base + SLOT_CHUNK_INDEX) === index) {
        this.foundSeq = seq;
        return slot;
      }
    }
    return -1;
  }

  private copy(slot: number, from: Frames, count: Frames, out: Float32Array[], at: Frames): void {
    const samples = this.samples;
    const channels = out.length < this.channels ? out.length : this.channels;
    for (let c = 0; c < channels; c++) {
      const dst = out[c];
      const last = at + count < dst.length ? at + count : dst.length;
      let src = (slot * this.channels + c) * this.chunkFrames + from;
      for (let i = at; i < last; i++) dst[i] = samples[src++];
    }
  }

  private silence(out: Float32Array[], from: Frames, to: Frames): void {
    if (to <= from) return;
    const channels = out.length < this.channels ? out.length : this.channels;
    for (let c = 0; c < channels; c++) out[c].fill(0, from, to);
  }
}

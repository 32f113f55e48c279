/*
 * Storage of one stem's buffer: ONE ArrayBuffer (or SharedArrayBuffer) allocated up front, so
 * memory is bounded by construction and the same bytes can be handed to an AudioWorklet.
 *
 *   bytes 0..31      header    Int32 × 8: magic, layout version, channels, chunkFrames,
 *                              slot count, totalFrames (−1 = unknown), 2 reserved
 *   then             slot table Int32 × 4 per slot: seq, chunk index (−1 = free),
 *                              validStart, validEnd (frames from the chunk's first frame)
 *   then             samples   Float32, slot-major then channel-major (planar):
 *                              sample (slot s, channel c, frame f) at (s × channels + c) × chunkFrames + f
 *
 * A slot holds at most one chunk, aligned on the chunk grid, and the frames
 * [validStart, validEnd) of it are real data: a partial chunk (a first-audio slice) fills part of
 * a slot and is extended in place by later pushes. Everything else in the slot is garbage that is
 * never read.
 *
 * Threads (the Mixxx CachingReader split, minus the FIFOs): exactly one writer (the control
 * thread, through StreamingBuffer) and any number of readers (the audio thread, through
 * BufferReader) that never write. The writer publishes with these rules, so a reader never
 * blocks, never retries and never plays a torn sample:
 *  1. Filling a slot (free, or evicted for another chunk, or overwritten by a disjoint slice of
 *     the same chunk) is a seqlock write: seq becomes odd, the index is set to free, samples and
 *     bounds are written, the index is stored, seq becomes even again. A reader loads seq before
 *     looking at a slot, skips it while odd, and re-checks seq after copying; if it changed, the
 *     copy may be torn (the slot was freed and refilled under it), so the reader overwrites it
 *     with silence and counts those frames missing. The re-check is an atomic read-modify-write
 *     (compareExchange of seq with itself), which V8 compiles to a full barrier, so the sample
 *     loads cannot drift past it.
 *  2. Extending a slot (merging an overlapping or adjacent slice of the same chunk) needs no lock:
 *     only frames OUTSIDE [validStart, validEnd) are written, then the grown bounds are stored.
 *     Readers may copy from the old range meanwhile; its frames do not change, and any mix of old
 *     and new bounds a reader loads is backed by written data.
 *  3. Freeing a slot only stores −1 as its index; its samples stay intact until rule 1 reuses it.
 * With a plain ArrayBuffer (one thread) these rules cost a few Atomics calls per read and nothing
 * else; Atomics accept non-shared Int32Arrays.
 */
import { StorageLayoutError } from '../errors.js';
import type { Frames } from '../units.js';

/** "TRXB" in ASCII: tells a storage buffer from any other buffer posted to a worklet. */
export const STORAGE_MAGIC = 0x54525842;
/** Bumped whenever the layout below changes, so an old worklet bundle refuses a new layout. */
export const STORAGE_VERSION = 1;

/** Int32 indices into the header. */
export const HEADER_MAGIC = 0;
export const HEADER_VERSION = 1;
export const HEADER_CHANNELS = 2;
export const HEADER_CHUNK_FRAMES = 3;
export const HEADER_SLOT_COUNT = 4;
export const HEADER_TOTAL_FRAMES = 5;
export const HEADER_INTS = 8;

/** Int32 offsets inside one slot's entry of the slot table. */
export const SLOT_SEQ = 0;
export const SLOT_CHUNK_INDEX = 1;
export const SLOT_VALID_START = 2;
export const SLOT_VALID_END = 3;
export const SLOT_INTS = 4;

/** The chunk index of a free slot. */
export const FREE_SLOT = -1;
/** Header value of `totalFrames` when the stem length is unknown. */
const UNKNOWN_TOTAL = -1;

/** Views over one storage buffer; both sides build the same views from the same bytes. */
export interface BufferStorage {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly header: Int32Array;
  /** `SLOT_INTS` Int32 per slot, fields at `slot × SLOT_INTS + SLOT_*`. */
  readonly slots: Int32Array;
  readonly samples: Float32Array;
  readonly channels: number;
  readonly chunkFrames: Frames;
  readonly slotCount: number;
  /** `Infinity` when unknown. */
  readonly totalFrames: Frames;
}

/** Shape of a storage to allocate (values already validated by `resolveConfig`). */
export interface StorageShape {
  readonly channels: number;
  readonly chunkFrames: Frames;
  readonly slotCount: number;
  readonly totalFrames: Frames;
  readonly shared: boolean;
}

/** Bytes of a storage of this shape: header + slot table + every slot's samples. */
export function storageByteLength(shape: Omit<StorageShape, 'shared' | 'totalFrames'>): number {
  return (HEADER_INTS + shape.slotCount * SLOT_INTS) * 4 + shape.slotCount * shape.channels * shape.chunkFrames * 4;
}

/** Control thread: allocates and initialises a storage with every slot free. */
export function createBufferStorage(shape: StorageShape): BufferStorage {
  const bytes = storageByteLength(shape);
  const buffer = shape.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  header[HEADER_MAGIC] = STORAGE_MAGIC;
  header[HEADER_VERSION] = STORAGE_VERSION;
  header[HEADER_CHANNELS] = shape.channels;
  header[HEADER_CHUNK_FRAMES] = shape.chunkFrames;
  header[HEADER_SLOT_COUNT] = shape.slotCount;
  header[HEADER_TOTAL_FRAMES] = shape.totalFrames === Infinity ? UNKNOWN_TOTAL : shape.totalFrames;
  const storage = viewsOver(buffer, header);
  for (let slot = 0; slot < shape.slotCount; slot++) storage.slots[slot * SLOT_INTS + SLOT_CHUNK_INDEX] = FREE_SLOT;
  return storage;
}

/**
 * Any thread, outside the audio callback: builds the views over a storage made by
 * {@link createBufferStorage} (e.g. a SharedArrayBuffer posted to an AudioWorklet), checking its
 * magic number, version and size. Throws {@link StorageLayoutError}.
 */
export function openBufferStorage(buffer: ArrayBuffer | SharedArrayBuffer): BufferStorage {
  if (buffer.byteLength < HEADER_INTS * 4) throw new StorageLayoutError(buffer.byteLength, 'shorter than the header');
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  if (header[HEADER_MAGIC] !== STORAGE_MAGIC) throw new StorageLayoutError(buffer.byteLength, 'wrong magic number');
  if (header[HEADER_VERSION] !== STORAGE_VERSION) {
    throw new StorageLayoutError(
      buffer.byteLength,
      `layout version ${header[HEADER_VERSION]}, this build reads version ${STORAGE_VERSION} (rebuild the worklet bundle)`,
    );
  }
  const expected = storageByteLength({
    channels: header[HEADER_CHANNELS],
    chunkFrames: header[HEADER_CHUNK_FRAMES],
    slotCount: header[HEADER_SLOT_COUNT],
  });
  if (buffer.byteLength !== expected) {
    throw new StorageLayoutError(buffer.byteLength, `the header describes ${expected} bytes`);
  }
  return viewsOver(buffer, header);
}

function viewsOver(buffer: ArrayBuffer | SharedArrayBuffer, header: Int32Array): BufferStorage {
  const channels = header[HEADER_CHANNELS];
  const chunkFrames = header[HEADER_CHUNK_FRAMES];
  const slotCount = header[HEADER_SLOT_COUNT];
  const total = header[HEADER_TOTAL_FRAMES];
  const slots = new Int32Array(buffer, HEADER_INTS * 4, slotCount * SLOT_INTS);
  const samplesOffset = (HEADER_INTS + slotCount * SLOT_INTS) * 4;
  const samples = new Float32Array(buffer, samplesOffset, slotCount * channels * chunkFrames);
  return {
    buffer,
    header,
    slots,
    samples,
    channels,
    chunkFrames,
    slotCount,
    totalFrames: total === UNKNOWN_TOTAL ? Infinity : total,
  };
}

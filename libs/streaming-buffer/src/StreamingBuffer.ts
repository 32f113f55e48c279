import { chunkIndexAt, chunkLength } from './chunkGrid.js';
import type { ChunkGrid } from './chunkGrid.js';
import type { Chunk, PushOutcome, PushPart, PushResult } from './Chunk.js';
import { resolveConfig } from './config.js';
import type { BufferConfig, StreamingBufferOptions } from './config.js';
import { InvalidChunkError, InvalidPositionError } from './errors.js';
import { BufferReader } from './realtime/BufferReader.js';
import { wantedChunks } from './refillPolicy.js';
import type { HeldRange } from './refillPolicy.js';
import { createBufferStorage } from './storage/BufferStorage.js';
import type { BufferStorage } from './storage/BufferStorage.js';
import { SlotWriter } from './storage/SlotWriter.js';
import type { SlotSource } from './storage/SlotWriter.js';
import type { ChunkIndex, Frames, Seconds } from './units.js';

/** How full the buffer is ahead of a play position, for indicators. */
export interface FillLevel {
  /** Frames of real data held contiguously from the position on. */
  readonly frames: Frames;
  readonly seconds: Seconds;
  /** `frames` over the frames the lookahead window wants ahead of the position (1 = full). */
  readonly fraction: number;
  /** The held data runs to the end of the stem: nothing more can be loaded ahead. */
  readonly reachesEnd: boolean;
}

/** Memory held by one buffer; `capacityBytes` is fixed at construction, whatever is pushed. */
export interface BufferStats {
  /** Slots holding (part of) a chunk; never more than `bufferChunks`. */
  readonly chunks: number;
  /** Frames of real data held, per channel. */
  readonly frames: Frames;
  /** Bytes of those samples (4 per sample). */
  readonly bytes: number;
  /** Bytes of the preallocated sample slots: `bufferChunks × channels × chunkFrames × 4`. */
  readonly capacityBytes: number;
  /** Bytes of the whole storage (samples, slot table and header). */
  readonly storageBytes: number;
}

/** A chunk's held frames, in stem positions. */
export interface HeldChunk {
  readonly index: ChunkIndex;
  readonly startFrame: Frames;
  /** Exclusive. */
  readonly endFrame: Frames;
}

/**
 * A bounded rolling window of decoded PCM for one stem: at most `bufferChunks` chunks (default 4,
 * the plan's N..N+3), stored by copy in slots allocated once at construction, read without
 * allocation by the audio callback.
 *
 * Threads: the control thread (the engine, the loader's delivery callback) calls every method;
 * the audio thread may call only `read`/`getSamples`/`framesAvailableAt` — or, in an AudioWorklet,
 * the same methods of a {@link BufferReader} built from `storageBuffer` (create with `shared: true`).
 *
 * The buffer knows where playback is only through `advanceTo` and `seekToChunk`: it drops chunks
 * wholly behind that position and refuses chunks farther ahead than every held one when full.
 *
 * @example
 * ```ts
 * const buffer = new StreamingBuffer({ channels: 2, sampleRate: 48_000, chunkFrames: 240_000, totalFrames });
 * // control thread, on every engine tick:
 * buffer.advanceTo(position);
 * for (const index of buffer.wantedChunks(position)) loader.request(ref, index, 'normal');
 * // when a chunk arrives:
 * buffer.pushChunk({ index, startFrame, frameCount, channelData });
 * // audio callback, 128 frames into planar outputs:
 * const missing = buffer.read(position, 128, outputs, 0);
 * ```
 */
export class StreamingBuffer {
  readonly config: BufferConfig;
  /** The audio-thread view of the same storage. */
  readonly reader: BufferReader;
  private readonly storage: BufferStorage;
  private readonly writer: SlotWriter;
  private readonly grid: ChunkGrid;
  private position: Frames = 0;

  /** Control thread. Allocates all sample memory now; throws {@link BufferConfigError} on bad options. */
  constructor(options: StreamingBufferOptions) {
    this.config = resolveConfig(options);
    this.storage = createBufferStorage({
      channels: this.config.channels,
      chunkFrames: this.config.chunkFrames,
      slotCount: this.config.bufferChunks,
      totalFrames: this.config.totalFrames,
      shared: this.config.shared,
    });
    this.writer = new SlotWriter(this.storage);
    this.reader = new BufferReader(this.storage);
    this.grid = { chunkFrames: this.config.chunkFrames, totalFrames: this.config.totalFrames };
  }

  /** Any thread. The storage to post to an AudioWorklet (a SharedArrayBuffer when built with `shared: true`). */
  get storageBuffer(): ArrayBuffer | SharedArrayBuffer {
    return this.storage.buffer;
  }

  /** Control thread. The play position last given by `advanceTo` or `seekToChunk`. */
  get playPosition(): Frames {
    return this.position;
  }

  /**
   * Audio thread (or control thread). Writes frames `[position, position + frames)` into
   * `out[c][offset ..]` and returns how many were missing (written as silence). Never allocates,
   * awaits or throws. See {@link BufferReader.read}.
   */
  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames = 0): Frames {
    return this.reader.read(position, frames, out, offset);
  }

  /** Audio thread (or control thread). The plan's name for {@link StreamingBuffer.read}. */
  getSamples(position: Frames, frames: Frames, out: Float32Array[], offset: Frames = 0): Frames {
    return this.reader.read(position, frames, out, offset);
  }

  /** Audio thread (or control thread). Frames of real data held contiguously from `position` on. */
  framesAvailableAt(position: Frames): Frames {
    return this.reader.framesAvailableAt(position);
  }

  /**
   * Control thread. Tells the buffer where playback is (forward or back): chunks wholly behind it
   * are freed now, and pushes behind it are dropped from now on. Throws
   * {@link InvalidPositionError} unless `position` is an integer.
   */
  advanceTo(position: Frames): void {
    if (!Number.isSafeInteger(position)) throw new InvalidPositionError('advanceTo', position, 'an integer frame position');
    this.position = position;
    this.freeBehind();
  }

  /**
   * Control thread. Moves playback to the start of chunk `index`: keeps the held chunks that are
   * still useful there (`index .. index + bufferChunks − 1`), so a seek inside the buffer plays
   * at once, and frees the rest. Follow with `advanceTo(position)` for a seek into the chunk.
   * Throws {@link InvalidPositionError} unless `index` is an integer ≥ 0.
   */
  seekToChunk(index: ChunkIndex): void {
    if (!Number.isSafeInteger(index) || index < 0) throw new InvalidPositionError('seekToChunk', index, 'a chunk index ≥ 0');
    this.position = index * this.config.chunkFrames;
    for (let slot = 0; slot < this.writer.slotCount; slot++) {
      const held = this.writer.chunkIn(slot);
      if (held >= 0 && (held < index || held >= index + this.config.bufferChunks)) this.writer.free(slot);
    }
  }

  /**
   * Control thread. Frees every slot whose held frames lie wholly outside all of `ranges`
   * (`[start, end)` frame pairs): for a caller that reads one buffer at several positions at once
   * (the playing position, a seek target, a loop's start) and so decides itself what to keep,
   * instead of `advanceTo`'s single position. Returns how many slots it freed.
   */
  retainRanges(ranges: readonly (readonly [Frames, Frames])[]): number {
    let freed = 0;
    for (let slot = 0; slot < this.writer.slotCount; slot++) {
      const index = this.writer.chunkIn(slot);
      if (index < 0) continue;
      const { validStart, validEnd } = this.writer.rangeOf(slot);
      const start = index * this.config.chunkFrames + validStart;
      const end = index * this.config.chunkFrames + validEnd;
      if (!ranges.some(([from, to]) => start < to && end > from)) {
        this.writer.free(slot);
        freed++;
      }
    }
    return freed;
  }

  /** Control thread. Slots holding no chunk. */
  get freeSlots(): number {
    let free = 0;
    for (let slot = 0; slot < this.writer.slotCount; slot++) if (this.writer.chunkIn(slot) < 0) free++;
    return free;
  }

  /** Control thread. Frees every slot (the play position stays). */
  clear(): void {
    for (let slot = 0; slot < this.writer.slotCount; slot++) this.writer.free(slot);
  }

  /**
   * Control thread. Copies a chunk or slice in. A span reaching into the next chunk(s) is split on
   * the chunk grid. Slices of one chunk merge when they overlap or touch; chunks wholly behind the
   * play position are dropped; when every slot is taken, the chunk farthest ahead is evicted if
   * the new one is nearer, else the new one is dropped (`no-room`). Throws
   * {@link InvalidChunkError} for a chunk that does not fit the buffer's grid or format.
   */
  pushChunk(chunk: Chunk): PushResult {
    this.validate(chunk);
    this.freeBehind();
    const parts: PushPart[] = [];
    const chunkFrames = this.config.chunkFrames;
    let start = chunk.startFrame;
    const end = chunk.startFrame + chunk.frameCount;
    while (start < end) {
      const index = chunkIndexAt(start, this.grid);
      const partEnd = Math.min(end, (index + 1) * chunkFrames);
      const source: SlotSource = {
        channelData: chunk.channelData,
        sourceOffset: start - chunk.startFrame,
        count: partEnd - start,
      };
      parts.push(this.storePart(index, start - index * chunkFrames, source));
      start = partEnd;
    }
    const held = parts.every((p) => p.outcome !== 'behind' && p.outcome !== 'no-room' && p.outcome !== 'disjoint');
    return { held, parts };
  }

  /** Control thread. True when the whole of chunk `index` is held (a partial slice does not count). */
  hasChunk(index: ChunkIndex): boolean {
    const range = this.heldRange(index);
    return range !== undefined && range.validStart === 0 && range.validEnd >= chunkLength(index, this.grid);
  }

  /**
   * Control thread. Chunks of the lookahead window at `position` not held completely, nearest
   * first: what to request next. E.g. with the default lookahead 4 at a position in chunk N:
   * those of N..N+3 that are missing or partial.
   */
  wantedChunks(position: Frames): ChunkIndex[] {
    return wantedChunks(position, this.config.lookaheadChunks, this.grid, (index) => this.heldRange(index));
  }

  /**
   * Control thread. The plan's refill rule: while chunk N plays, true when N+3 (the last chunk of
   * the lookahead window) is not held — and also when a nearer chunk of the window is missing,
   * which the plan's single check would overlook after out-of-order arrivals or a seek.
   */
  needsRefill(position: Frames): boolean {
    return this.wantedChunks(position).length > 0;
  }

  /** Control thread. How much is buffered ahead of `position`, for a fill indicator. */
  fillLevel(position: Frames): FillLevel {
    const frames = this.reader.framesAvailableAt(position);
    const from = Math.max(0, position);
    const windowEnd = Math.min(
      (chunkIndexAt(from, this.grid) + this.config.lookaheadChunks) * this.config.chunkFrames,
      this.config.totalFrames,
    );
    const wanted = windowEnd - from;
    const reachesEnd = from + frames >= this.config.totalFrames;
    return {
      frames,
      seconds: frames / this.config.sampleRate,
      fraction: reachesEnd || wanted <= 0 ? 1 : Math.min(1, frames / wanted),
      reachesEnd,
    };
  }

  /** Control thread. What each slot holds, by chunk index. */
  heldChunks(): HeldChunk[] {
    const held: HeldChunk[] = [];
    for (let slot = 0; slot < this.writer.slotCount; slot++) {
      const index = this.writer.chunkIn(slot);
      if (index < 0) continue;
      const { validStart, validEnd } = this.writer.rangeOf(slot);
      const chunkStart = index * this.config.chunkFrames;
      held.push({ index, startFrame: chunkStart + validStart, endFrame: chunkStart + validEnd });
    }
    return held.sort((a, b) => a.index - b.index);
  }

  /** Control thread. Live chunks and bytes; bounded by construction. */
  stats(): BufferStats {
    const held = this.heldChunks();
    const frames = held.reduce((sum, h) => sum + (h.endFrame - h.startFrame), 0);
    const { channels, bufferChunks, chunkFrames } = this.config;
    return {
      chunks: held.length,
      frames,
      bytes: frames * channels * 4,
      capacityBytes: bufferChunks * channels * chunkFrames * 4,
      storageBytes: this.storage.buffer.byteLength,
    };
  }

  private storePart(index: ChunkIndex, start: Frames, source: SlotSource): PushPart {
    const part = (outcome: PushOutcome, evicted: ChunkIndex | null = null): PushPart => ({
      index,
      startFrame: index * this.config.chunkFrames + start,
      frameCount: source.count,
      outcome,
      evicted,
    });
    const end = start + source.count;
    if (this.isBehind(index, end)) return part('behind');
    const slot = this.writer.slotOf(index);
    if (slot >= 0) {
      const { validStart, validEnd } = this.writer.rangeOf(slot);
      if (start >= validStart && end <= validEnd) return part('duplicate');
      if (start <= validEnd && end >= validStart) {
        this.writer.extend(slot, start, source);
        return part('merged');
      }
      // Disjoint slices of one chunk: a slot holds one range, so keep the one playback reaches
      // first (neither is behind the play position: freeBehind ran and the new part passed).
      if (start < validStart) {
        this.writer.fill(slot, index, start, source);
        return part('replaced');
      }
      return part('disjoint');
    }
    const free = this.writer.freeSlot();
    if (free >= 0) {
      this.writer.fill(free, index, start, source);
      return part('stored');
    }
    // Full, and nothing is behind (freeBehind ran): every held chunk is at or ahead of the play
    // position, so the one farthest ahead is the least useful. The plan's "drop the oldest" would
    // drop the chunk being played when N+4 arrives while N still plays.
    const farthest = this.farthestSlot();
    const farthestIndex = this.writer.chunkIn(farthest);
    if (farthestIndex <= index) return part('no-room');
    this.writer.fill(farthest, index, start, source);
    return part('stored', farthestIndex);
  }

  /** True when frames before `endInChunk` (relative) of chunk `index` all lie before the play position. */
  private isBehind(index: ChunkIndex, endInChunk: Frames): boolean {
    return index * this.config.chunkFrames + endInChunk <= this.position;
  }

  private freeBehind(): void {
    for (let slot = 0; slot < this.writer.slotCount; slot++) {
      const index = this.writer.chunkIn(slot);
      if (index >= 0 && this.isBehind(index, this.writer.rangeOf(slot).validEnd)) this.writer.free(slot);
    }
  }

  private farthestSlot(): number {
    let farthest = 0;
    for (let slot = 1; slot < this.writer.slotCount; slot++) {
      if (this.writer.chunkIn(slot) > this.writer.chunkIn(farthest)) farthest = slot;
    }
    return farthest;
  }

  private heldRange(index: ChunkIndex): HeldRange | undefined {
    const slot = this.writer.slotOf(index);
    return slot < 0 ? undefined : this.writer.rangeOf(slot);
  }

  private validate(chunk: Chunk): void {
    const { channels, chunkFrames, totalFrames } = this.config;
    const context = {
      index: chunk.index,
      startFrame: chunk.startFrame,
      frameCount: chunk.frameCount,
      channels: chunk.channelData.length,
    };
    const refuse = (problem: string): never => {
      throw new InvalidChunkError(context, problem);
    };
    if (!Number.isSafeInteger(chunk.startFrame) || chunk.startFrame < 0) refuse('startFrame must be an integer ≥ 0');
    if (!Number.isSafeInteger(chunk.frameCount) || chunk.frameCount < 0) refuse('frameCount must be an integer ≥ 0');
    const expectedIndex = Math.floor(chunk.startFrame / chunkFrames);
    if (chunk.index !== expectedIndex) {
      refuse(`frame ${chunk.startFrame} lies in chunk ${expectedIndex} of ${chunkFrames} frames (is the loader using another chunk size?)`);
    }
    if (chunk.channelData.length !== channels) refuse(`the buffer holds ${channels} channel(s)`);
    chunk.channelData.forEach((data, c) => {
      if (data.length < chunk.frameCount) refuse(`channel ${c} has ${data.length} samples, fewer than frameCount`);
    });
    if (chunk.startFrame + chunk.frameCount > totalFrames) {
      refuse(`the stem ends at frame ${totalFrames}`);
    }
  }
}

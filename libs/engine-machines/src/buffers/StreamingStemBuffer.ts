import { StreamingBuffer } from '@trax/streaming-buffer';
import type { StemPcmSource } from '../realtime/SongRegistration.js';
import type { Frames } from '../units.js';
import type { FrameRange, StemBuffer, StemBufferFactory, StemBufferSpec } from './StemBuffer.js';

/**
 * The engine's stem buffer over `@trax/streaming-buffer`: `capacityChunks` chunk slots in one
 * (Shared)ArrayBuffer allocated at construction (e.g. 4 × 2 s of stereo at 48 kHz = 3.1 MB), so
 * memory is bounded by construction and the mixer can read it from any thread without locks (the
 * storage's seqlock rules). The buffer's own play position stays at 0: the engine keeps several
 * positions in one buffer and says what to keep through `retain`.
 */
export class StreamingStemBuffer implements StemBuffer {
  readonly pcm: StemPcmSource;
  private readonly inner: StreamingBuffer;
  private readonly chunkFrames: Frames;
  private kept: readonly FrameRange[] = [];

  constructor(spec: StemBufferSpec, sampleRate: number) {
    this.chunkFrames = spec.chunkFrames;
    this.inner = new StreamingBuffer({
      channels: spec.channels,
      sampleRate,
      chunkFrames: spec.chunkFrames,
      bufferChunks: spec.capacityChunks,
      totalFrames: spec.totalFrames,
      shared: spec.shared,
    });
    this.pcm = { kind: 'window', storage: this.inner.storageBuffer };
  }

  /** A {@link StemBufferFactory} (`createEngine({ createBuffer: StreamingStemBuffer.factory(48_000) })`). */
  static factory(sampleRate: number): StemBufferFactory {
    return (spec) => new StreamingStemBuffer(spec, sampleRate);
  }

  get channels(): number {
    return this.inner.config.channels;
  }

  get capacityChunks(): number {
    return this.inner.config.bufferChunks;
  }

  get bytes(): number {
    return this.inner.stats().capacityBytes;
  }

  get heldFrames(): Frames {
    return this.inner.stats().frames;
  }

  push(startFrame: Frames, channelData: readonly Float32Array[]): void {
    const frameCount = channelData.length > 0 ? channelData[0].length : 0;
    const end = startFrame + frameCount;
    // Chunk by chunk: keep the parts that touch a kept range, while there is room for them.
    for (let from = startFrame; from < end; ) {
      const index = Math.floor(from / this.chunkFrames);
      const to = Math.min(end, (index + 1) * this.chunkFrames);
      const wanted = this.kept.some(([s, e]) => from < e && to > s);
      if (wanted && (this.inner.freeSlots > 0 || this.holds(index))) {
        const part = from === startFrame && to === end ? (channelData as Float32Array[]) : channelData.map((c) => c.subarray(from - startFrame, to - startFrame));
        this.inner.pushChunk({ index, startFrame: from, frameCount: to - from, channelData: part });
      }
      from = to;
    }
  }

  retain(ranges: readonly FrameRange[]): void {
    this.kept = ranges;
    this.inner.retainRanges(ranges);
  }

  gaps(from: Frames, to: Frames): FrameRange[] {
    const result: FrameRange[] = [];
    let cursor = from;
    for (const held of this.inner.heldChunks()) {
      if (held.endFrame <= cursor) continue;
      if (held.startFrame >= to) break;
      if (held.startFrame > cursor) result.push([cursor, Math.min(held.startFrame, to)]);
      cursor = Math.max(cursor, held.endFrame);
      if (cursor >= to) break;
    }
    if (cursor < to) result.push([cursor, to]);
    return result;
  }

  framesAvailableAt(position: Frames): Frames {
    return this.inner.framesAvailableAt(position);
  }

  /** A slot already holds part of chunk `index` (a slice to extend). */
  private holds(index: number): boolean {
    return this.inner.heldChunks().some((h) => h.index === index);
  }
}

import { StreamingBuffer } from '@trax/streaming-buffer';
import type { StreamingBufferOptions } from '@trax/streaming-buffer';
import type { StemBuffer, StemBufferFactory, StemBufferSpec } from '../realtime/StemBuffer.js';
import type { Frames } from '../units.js';

/**
 * The engine's stem buffer over `@trax/streaming-buffer`: a bounded window of `capacityChunks`
 * chunk slots, copied in on push and read without allocation. The slots (capacity × channels ×
 * chunkFrames × 4 bytes, e.g. 7.7 MB for 4 × 5 s stereo at 48 kHz) are allocated on the first push
 * and given back by `release()`, so a song's spare buffer sets (seek targets, crossfade partners)
 * cost memory only while a seek uses them.
 */
export class StreamingStemBuffer implements StemBuffer {
  private inner: StreamingBuffer | null = null;

  constructor(private readonly options: StreamingBufferOptions) {}

  /** A {@link StemBufferFactory} for the engine (`createEngine({ createBuffer: StreamingStemBuffer.factory(48_000) })`). */
  static factory(sampleRate: number): StemBufferFactory {
    return (spec: StemBufferSpec) =>
      new StreamingStemBuffer({ channels: spec.channels, sampleRate, chunkFrames: spec.chunkFrames, bufferChunks: spec.capacityChunks, totalFrames: spec.totalFrames });
  }

  get channels(): number {
    return this.options.channels;
  }

  /** Memory held: the allocated slots (whatever they contain), 0 when released. */
  get bytes(): number {
    return this.inner ? this.inner.stats().capacityBytes : 0;
  }

  get heldFrames(): Frames {
    return this.inner ? this.inner.stats().frames : 0;
  }

  /** Control thread. Copies the PCM in (the buffer may drop it when it is behind or there is no room). */
  push(startFrame: Frames, channelData: Float32Array[]): void {
    const frameCount = channelData.length > 0 ? channelData[0].length : 0;
    if (frameCount === 0) return;
    this.inner ??= new StreamingBuffer(this.options);
    this.inner.pushChunk({ index: Math.floor(startFrame / this.options.chunkFrames), startFrame, frameCount, channelData });
  }

  /** Control thread. Empties the slots (kept allocated for the next use) and forgets the play position. */
  clear(): void {
    if (!this.inner) return;
    this.inner.clear();
    this.inner.advanceTo(0);
  }

  /** Control thread. Gives the slots' memory back; the next push allocates again. */
  release(): void {
    this.inner = null;
  }

  /** Control thread. Playback is at `from` or later: chunks wholly behind it are freed. */
  retain(from: Frames, _to: Frames): void {
    this.inner?.advanceTo(from);
  }

  gaps(from: Frames, to: Frames): Array<readonly [Frames, Frames]> {
    const result: Array<readonly [Frames, Frames]> = [];
    let cursor = from;
    for (const held of this.inner?.heldChunks() ?? []) {
      if (held.endFrame <= cursor) continue;
      if (held.startFrame >= to) break;
      if (held.startFrame > cursor) result.push([cursor, Math.min(held.startFrame, to)]);
      cursor = Math.max(cursor, held.endFrame);
      if (cursor >= to) break;
    }
    if (cursor < to) result.push([cursor, to]);
    return result;
  }

  /** Audio thread. */
  framesAvailableAt(position: Frames): Frames {
    return this.inner === null ? 0 : this.inner.framesAvailableAt(position);
  }

  /** Audio thread. */
  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames): Frames {
    const inner = this.inner;
    if (inner !== null) return inner.read(position, frames, out, offset);
    for (let c = 0; c < this.options.channels; c++) out[c].fill(0, offset, offset + frames);
    return frames;
  }
}

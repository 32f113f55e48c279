import type { Frames } from '../units.js';
import type { StemBuffer, StemBufferSpec } from './StemBuffer.js';

interface Segment {
  readonly start: Frames;
  readonly end: Frames;
  readonly data: Float32Array[];
}

/**
 * A stem buffer kept as a short list of delivered segments (chunks and slices), sorted by start.
 * Pushing keeps the arrays it is given (no copy); a segment wholly covered by a newer one is
 * dropped. Reads walk the list (a handful of segments per stem) and copy sample by sample, so the
 * audio thread never allocates.
 */
export class SegmentBuffer implements StemBuffer {
  private segments: Segment[] = [];

  constructor(readonly channels: number) {}

  /** A {@link StemBufferFactory}. */
  static create(spec: StemBufferSpec): SegmentBuffer {
    return new SegmentBuffer(spec.channels);
  }

  get bytes(): number {
    return this.heldFrames * this.channels * 4;
  }

  get heldFrames(): Frames {
    let frames = 0;
    for (const s of this.segments) frames += s.end - s.start;
    return frames;
  }

  /** Control thread. */
  push(startFrame: Frames, channelData: Float32Array[]): void {
    const length = channelData.length > 0 ? channelData[0].length : 0;
    if (length === 0) return;
    const added: Segment = { start: startFrame, end: startFrame + length, data: channelData };
    if (this.segments.some((s) => s.start <= added.start && s.end >= added.end)) return;
    const kept = this.segments.filter((s) => !(s.start >= added.start && s.end <= added.end));
    kept.push(added);
    kept.sort((a, b) => a.start - b.start);
    this.segments = kept;
  }

  /** Control thread. */
  clear(): void {
    this.segments = [];
  }

  /** Control thread. */
  release(): void {
    this.segments = [];
  }

  /** Control thread. */
  retain(from: Frames, to: Frames): void {
    this.segments = this.segments.filter((s) => s.end > from && s.start < to);
  }

  /** Control thread. */
  gaps(from: Frames, to: Frames): Array<readonly [Frames, Frames]> {
    const result: Array<readonly [Frames, Frames]> = [];
    let cursor = from;
    for (const s of this.segments) {
      if (s.end <= cursor) continue;
      if (s.start >= to) break;
      if (s.start > cursor) result.push([cursor, Math.min(s.start, to)]);
      cursor = Math.max(cursor, s.end);
      if (cursor >= to) break;
    }
    if (cursor < to) result.push([cursor, to]);
    return result;
  }

  /** Audio thread. */
  framesAvailableAt(position: Frames): Frames {
    let cursor = position;
    const segments = this.segments;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i];
      if (s.end <= cursor) continue;
      if (s.start > cursor) break;
      cursor = s.end;
    }
    return cursor - position;
  }

  /** Audio thread. */
  read(position: Frames, frames: Frames, out: Float32Array[], offset: Frames): Frames {
    let missing = 0;
    let p = position;
    const end = position + frames;
    const segments = this.segments;
    while (p < end) {
      let segment: Segment | null = null;
      let nextStart = end;
      for (let i = 0; i < segments.length; i++) {
        const s = segments[i];
        if (s.start <= p && s.end > p) {
          segment = s;
          break;
        }
        if (s.start > p && s.start < nextStart) nextStart = s.start;
      }
      const upTo = segment === null ? nextStart : Math.min(segment.end, end);
      const from = offset + (p - position);
      const count = upTo - p;
      for (let c = 0; c < this.channels; c++) {
        const dst = out[c];
        if (segment === null) {
          dst.fill(0, from, from + count);
        } else {
          const src = segment.data[c];
          for (let i = 0, j = p - segment.start; i < count; i++, j++) dst[from + i] = src[j];
        }
      }
      if (segment === null) missing += count;
      p = upTo;
    }
    return missing;
  }
}

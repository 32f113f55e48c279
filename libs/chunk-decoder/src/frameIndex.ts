import type { FrameHeader } from './frameHeader.js';
import type { ByteOffset, Frames } from './units.js';

/** A frame whose header was found and validated at `offset`. */
export interface IndexedFrame {
  readonly offset: ByteOffset;
  readonly sample: Frames;
  readonly header: FrameHeader;
}

/**
 * Frames located so far, sorted by first sample. Grows as ranges are decoded (every frame walked
 * is remembered), so later look-ups near decoded ranges need no scanning at all.
 */
export class FrameIndex {
  private readonly frames: IndexedFrame[] = [];

  get size(): number {
    return this.frames.length;
  }

  add(frame: IndexedFrame): void {
    const at = this.firstAfter(frame.sample - 1);
    if (at < this.frames.length && this.frames[at].sample === frame.sample) return;
    this.frames.splice(at, 0, frame);
  }

  /** The last frame starting at or before `sample`. */
  atOrBefore(sample: Frames): IndexedFrame | undefined {
    const at = this.firstAfter(sample);
    return at > 0 ? this.frames[at - 1] : undefined;
  }

  /** The first frame starting after `sample`. */
  after(sample: Frames): IndexedFrame | undefined {
    return this.frames[this.firstAfter(sample)];
  }

  /** Index of the first frame whose sample is > `sample` (binary search). */
  private firstAfter(sample: Frames): number {
    let low = 0;
    let high = this.frames.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.frames[mid].sample <= sample) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

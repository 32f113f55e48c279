import type { ByteOffset } from '../units.js';

/** A run of bytes fetched or being fetched: `[start, end)`. */
interface Segment {
  readonly start: ByteOffset;
  readonly end: ByteOffset;
  readonly bytes: Promise<Uint8Array>;
  settled: boolean;
  lastUse: number;
}

/** Where the bytes of a read come from: `[from, to)` of one segment. */
export interface RangePiece {
  readonly from: ByteOffset;
  readonly to: ByteOffset;
  readonly segment: { readonly start: ByteOffset; readonly bytes: Promise<Uint8Array> };
}

/** How a read is served: pieces from segments held or in flight, and the gaps nobody holds. */
export interface RangePlan {
  readonly pieces: RangePiece[];
  readonly gaps: [ByteOffset, ByteOffset][];
}

/**
 * The byte runs of one file fetched so far, and those still on their way, so that overlapping
 * and adjacent reads share requests instead of repeating them (request coalescing). Keeps at
 * most `maxBytes` of settled runs, least recently used dropped first; runs in flight are never
 * dropped (their readers wait on them). No I/O here: the source adds the runs it fetches.
 */
export class RangeCache {
  private readonly segments: Segment[] = [];
  private uses = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held by settled runs. */
  get heldBytes(): number {
    let held = 0;
    for (const segment of this.segments) if (segment.settled) held += segment.end - segment.start;
    return held;
  }

  /**
   * Covers `[start, end)` with the runs that reach furthest at each point; what no run covers is
   * a gap. Marks the runs used (for the LRU order).
   */
  plan(start: ByteOffset, end: ByteOffset): RangePlan {
    const pieces: RangePiece[] = [];
    const gaps: [ByteOffset, ByteOffset][] = [];
    const use = ++this.uses;
    for (let at = start; at < end; ) {
      let best: Segment | undefined;
      let nextStart = end;
      for (const segment of this.segments) {
        if (segment.start <= at && segment.end > at && (!best || segment.end > best.end)) best = segment;
        else if (segment.start > at && segment.start < nextStart) nextStart = segment.start;
      }
      if (!best) {
        gaps.push([at, nextStart]);
        at = nextStart;
        continue;
      }
      best.lastUse = use;
      const to = Math.min(end, best.end);
      pieces.push({ from: at, to, segment: best });
      at = to;
    }
    return { pieces, gaps };
  }

  /** Where the next run at or after `offset` starts (undefined: none). */
  nextStartAfter(offset: ByteOffset): ByteOffset | undefined {
    let next: ByteOffset | undefined;
    for (const segment of this.segments) if (segment.start >= offset && (next === undefined || segment.start < next)) next = segment.start;
    return next;
  }

  /** Where the last run ending at or before `offset` ends (undefined: none). */
  previousEndBefore(offset: ByteOffset): ByteOffset | undefined {
    let previous: ByteOffset | undefined;
    for (const segment of this.segments) if (segment.end <= offset && (previous === undefined || segment.end > previous)) previous = segment.end;
    return previous;
  }

  /**
   * Adds a run being fetched. Readers may use it at once; when it arrives it counts against
   * `maxBytes`; if it fails it is forgotten (the next read fetches again).
   */
  add(start: ByteOffset, end: ByteOffset, bytes: Promise<Uint8Array>): void {
    const segment: Segment = { start, end, bytes, settled: false, lastUse: ++this.uses };
    this.segments.push(segment);
    bytes.then(
      () => {
        segment.settled = true;
        this.evict();
      },
      () => this.remove(segment),
    );
  }

  /** Forgets every run (the file changed, or the source closed). */
  clear(): void {
    this.segments.length = 0;
  }

  private evict(): void {
    let held = this.heldBytes;
    while (held > this.maxBytes) {
      let oldest: Segment | undefined;
      for (const segment of this.segments) if (segment.settled && (!oldest || segment.lastUse < oldest.lastUse)) oldest = segment;
      if (!oldest) return;
      this.remove(oldest);
      held -= oldest.end - oldest.start;
    }
  }

  private remove(segment: Segment): void {
    const index = this.segments.indexOf(segment);
    if (index >= 0) this.segments.splice(index, 1);
  }
}

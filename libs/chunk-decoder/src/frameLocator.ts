import type { ByteSource } from './byteSource.js';
import { ByteWindow } from './byteWindow.js';
import { crc16, crc16Step } from './crc.js';
import { decodeFlacFrame } from './flacFrameDecoder.js';
import type { SeekPoint } from './flacMetadata.js';
import { MAX_FRAME_HEADER_BYTES, MIN_FRAME_BYTES, parseFrameHeader } from './frameHeader.js';
import { FrameIndex, type IndexedFrame } from './frameIndex.js';
import type { FrameRules } from './frameRules.js';
import { scanHeaders } from './frameScan.js';
import type { ByteOffset, Frames } from './units.js';

/** One frame of a walk: its bytes are `[frame.offset, end)`. */
export interface FrameStep {
  readonly frame: IndexedFrame;
  /** Where this frame's bytes end: the next frame's offset, or the end of the audio. */
  readonly end: ByteOffset;
  /** The frame's CRC-16 matches (its bytes are intact and complete). */
  readonly crcOk: boolean;
  /** The frame that follows; its sample is after `frame`'s last one when frames were lost. */
  readonly next: IndexedFrame | undefined;
  /** No frame follows, and this one runs into the end of the file without a valid CRC. */
  readonly truncated: boolean;
  /** The bytes `[frame.offset, end)` (a view; valid as long as the caller keeps it). */
  readonly bytes: Uint8Array;
}

/** How far past one frame's worst-case size to look for the next frame after corruption. */
const LOST_SYNC_SCAN_BYTES = 1 << 20;
/** Bisection rounds before falling back to a walk (each round halves the gap or better). */
const MAX_BISECT_ROUNDS = 16;

/**
 * Finds the frames of one stream by byte position without reading the whole file: seek points
 * and already-walked frames are known positions; between them it bisects by byte offset (guess
 * from the bitrate, scan to the next sync code, validate the header and confirm the frame by its
 * CRC-16 and its successor), then walks frame by frame over the last few frames.
 */
export class FrameLocator {
  readonly index = new FrameIndex();
  private readonly first: IndexedFrame;
  private readonly hints: SeekPoint[];
  /** Bytes read through this locator (for tests and the benchmark). */
  bytesRead = 0;

  constructor(
    private readonly source: ByteSource,
    readonly rules: FrameRules,
    first: IndexedFrame,
    /** End of the audio data (the file size, less a trailing ID3v1 tag). */
    readonly audioEnd: ByteOffset,
    seekPoints: readonly SeekPoint[],
  ) {
    this.first = first;
    this.index.add(first);
    this.hints = seekPoints.filter((point) => point.offset > first.offset && point.sample > first.sample);
  }

  /** A window over the source that counts what it reads. */
  window(readAhead: number): ByteWindow {
    const counted: ByteSource = {
      name: this.source.name,
      size: this.source.size,
      read: async (offset, length) => {
        const bytes = await this.source.read(offset, length);
        this.bytesRead += bytes.length;
        return bytes;
      },
      close: () => this.source.close(),
    };
    return new ByteWindow(counted, readAhead);
  }

  /**
   * The known frame nearest before `sample` after locating: it contains `sample`, or frames
   * were lost after it (then the walk from it reports the gap), or it is the last frame.
   */
  async locate(sample: Frames): Promise<IndexedFrame> {
    for (let round = 0; ; round++) {
      const low = this.index.atOrBefore(sample) ?? this.first;
      if (sample < low.sample + low.header.blockSize) return low;
      if (await this.useSeekPoint(low.sample, sample)) continue;
      const high = this.index.after(sample);
      if (high && (await this.useSeekPoint(sample, high.sample - 1))) continue;
      if (!high || round >= MAX_BISECT_ROUNDS) return this.walkTo(low, sample);
      const span = high.offset - low.offset;
      // Average bytes per frame between the two, from the bitrate over that span.
      const frameBytes = (span * low.header.blockSize) / (high.sample - low.sample);
      if (span <= 3 * frameBytes + MAX_FRAME_HEADER_BYTES) return this.walkTo(low, sample);
      // Aim one frame before the interpolated position: a scan forward then lands on the frame
      // containing `sample` or one just before it.
      const guess = low.offset + Math.floor((span * (sample - low.sample)) / (high.sample - low.sample) - frameBytes);
      const from = Math.max(low.offset + low.header.length, guess);
      const found = await this.findConfirmedFrame(
        from,
        Math.min(high.offset, from + 2 * this.rules.maxFrameBytes()),
        (s) => s > low.sample && s < high.sample,
      );
      if (!found) return this.walkTo(low, sample);
    }
  }

  /**
   * Reads the frame `frame` and finds where it ends: the next header with the expected sample
   * number (or, after corruption, the next valid frame further on), or the end of the audio.
   */
  async step(frame: IndexedFrame, window: ByteWindow, resync = true): Promise<FrameStep> {
    const expected = frame.sample + frame.header.blockSize;
    const bound = Math.min(this.audioEnd, frame.offset + this.rules.maxFrameBytes(frame.header.blockSize));
    await window.ensure(frame.offset, bound + MAX_FRAME_HEADER_BYTES - frame.offset);
    const start = frame.offset + frame.header.length;
    const follows = (s: Frames) => s === expected;
    // No frame is shorter than STREAMINFO's minimum frame size: start looking there (skips most
    // of a frame's bytes); if that finds nothing CRC-valid — the value may be wrong — look again
    // from the header on.
    const minimum = this.rules.streamInfo.minFrameSize;
    const quick = minimum > frame.header.length ? this.findSuccessor(frame, window, frame.offset + minimum, bound, follows) : undefined;
    const step = quick?.crcOk ? quick : this.findSuccessor(frame, window, start, bound, follows);
    if (step) return step;
    const toEnd = () => {
      const bytes = window.view().subarray(frame.offset - window.viewStart, this.audioEnd - window.viewStart);
      const crcOk = bytes.length >= 2 && crc16(bytes, 0, bytes.length) === 0;
      return { frame, end: this.audioEnd, crcOk, next: undefined, truncated: !crcOk, bytes };
    };
    // Nothing follows within a frame's worst-case size and the audio ends there: the last frame.
    if (bound >= this.audioEnd) {
      const last = toEnd();
      if (last.crcOk || !resync) return last;
    } else if (!resync) return { frame, end: bound, crcOk: false, next: undefined, truncated: false, bytes: new Uint8Array(0) };
    // Lost sync (corrupt bytes where the next header should be): resume at the next frame that
    // confirms itself. Its sample number can be at most what the scanned bytes could hold.
    const scanEnd = Math.min(this.audioEnd, bound + LOST_SYNC_SCAN_BYTES);
    const maxSample = expected + Math.ceil((scanEnd - frame.offset) / MIN_FRAME_BYTES + 1) * this.rules.maxBlockSize;
    const resumed = await this.findConfirmedFrame(start, scanEnd, (s) => s > frame.sample && s <= maxSample, window);
    if (resumed) {
      const span = window.view().subarray(frame.offset - window.viewStart, resumed.offset - window.viewStart);
      if (crc16(span, 0, span.length) === 0) return { frame, end: resumed.offset, crcOk: true, next: resumed, truncated: false, bytes: span };
      // The damage may lie after this frame (e.g. in the next frame's header): find its own end.
      const length = this.intactLength(frame, span);
      const bytes = length ? span.subarray(0, length) : span;
      return { frame, end: frame.offset + bytes.length, crcOk: length !== undefined, next: resumed, truncated: false, bytes };
    }
    if (scanEnd >= this.audioEnd) return toEnd();
    const bytes = window.view().subarray(frame.offset - window.viewStart, scanEnd - window.viewStart);
    return { frame, end: scanEnd, crcOk: false, next: undefined, truncated: false, bytes };
  }

  /**
   * Length of `frame` when `span` holds it followed by damaged bytes: the first prefix whose
   * CRC-16 is valid (running CRC, one pass) and that decodes to exactly its own end. The decode
   * check matters: over 20 KB a random prefix matches a 16-bit CRC by chance about once in three.
   */
  private intactLength(frame: IndexedFrame, span: Uint8Array): number | undefined {
    const limit = Math.min(span.length, this.rules.maxFrameBytes(frame.header.blockSize));
    let crc = 0;
    for (let i = 0; i < limit; i++) {
      crc = crc16Step(crc, span[i]);
      if (crc !== 0 || i < frame.header.length + 2) continue;
      try {
        decodeFlacFrame(span.subarray(0, i + 1), frame.header, { bitsPerSample: this.rules.streamInfo.bitsPerSample });
        return i + 1;
      } catch {
        // not this prefix
      }
    }
    return undefined;
  }

  /** First header in `[from, to)` accepted by `acceptSample`, preferring one that makes `frame`'s CRC-16 valid. */
  private findSuccessor(
    frame: IndexedFrame,
    window: ByteWindow,
    from: ByteOffset,
    to: ByteOffset,
    acceptSample: (sample: Frames) => boolean,
  ): FrameStep | undefined {
    const view = window.view();
    const base = window.viewStart;
    let fallback: FrameStep | undefined;
    scanHeaders(view, base, from, to, ({ offset, header }) => {
      if (!this.rules.isPlausible(header)) return false;
      const sample = this.rules.sampleOf(header);
      if (!acceptSample(sample)) return false;
      const bytes = view.subarray(frame.offset - base, offset - base);
      const crcOk = crc16(bytes, 0, bytes.length) === 0;
      const step: FrameStep = { frame, end: offset, crcOk, next: { offset, sample, header }, truncated: false, bytes };
      if (crcOk) {
        fallback = step;
        return true;
      }
      // A CRC mismatch: either this frame is corrupt or the header is a false sync code inside
      // it; keep looking for one that makes the CRC valid, else report the frame as corrupt.
      fallback ??= step;
      return false;
    });
    return fallback;
  }

  /** Walks from `from` until the frame containing `sample` (or the last one before a gap/end). */
  private async walkTo(from: IndexedFrame, sample: Frames): Promise<IndexedFrame> {
    const window = this.window(4 * this.rules.maxFrameBytes());
    let frame = from;
    for (;;) {
      const step = await this.step(frame, window);
      const next = step.next;
      if (!next || next.sample > sample) return frame;
      this.index.add(next);
      window.discardBefore(next.offset);
      frame = next;
    }
  }

  /** Checks the seek points in `(after, upTo]`, the nearest to `upTo` first; adds a valid one to the index. */
  private async useSeekPoint(after: Frames, upTo: Frames): Promise<boolean> {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.hints.length && this.hints[i].sample <= upTo; i++) if (this.hints[i].sample > after) best = i;
      if (best < 0) return false;
      const [point] = this.hints.splice(best, 1); // each point is checked once
      const bytes = await this.source.read(point.offset, MAX_FRAME_HEADER_BYTES);
      this.bytesRead += bytes.length;
      const header = parseFrameHeader(bytes, 0);
      if (header && this.rules.isPlausible(header) && this.rules.sampleOf(header) === point.sample) {
        this.index.add({ offset: point.offset, sample: point.sample, header });
        return true;
      }
    }
  }

  /**
   * Scans `[from, to)` for a frame whose sample passes `acceptSample` and whose CRC-16 and
   * successor confirm it; adds it (and its successor) to the index.
   */
  private async findConfirmedFrame(
    from: ByteOffset,
    to: ByteOffset,
    acceptSample: (sample: Frames) => boolean,
    window = this.window(2 * this.rules.maxFrameBytes() + MAX_FRAME_HEADER_BYTES),
  ): Promise<IndexedFrame | undefined> {
    await window.ensure(from, to - from + MAX_FRAME_HEADER_BYTES);
    const candidates: IndexedFrame[] = [];
    scanHeaders(window.view(), window.viewStart, from, to, ({ offset, header }) => {
      if (this.rules.isPlausible(header) && acceptSample(this.rules.sampleOf(header)))
        candidates.push({ offset, sample: this.rules.sampleOf(header), header });
      return false;
    });
    for (const candidate of candidates) {
      const step = await this.step(candidate, window, false);
      if (step.crcOk && (step.next === undefined || step.next.sample === candidate.sample + candidate.header.blockSize)) {
        this.index.add(candidate);
        if (step.next) this.index.add(step.next);
        return candidate;
      }
    }
    return undefined;
  }
}

import { BitWriter } from './BitWriter.js';
import { FlacEncodeError } from './FlacEncodeError.js';
import { FrameEncoder } from './FrameEncoder.js';
import { plannedSeekFrames, writeHeader, type SeekPoint, type StreamInfo } from './metadata.js';
import { resolveOptions, type FlacEncodeOptions, type ResolvedOptions } from './options.js';
import { jsMd5 } from './md5.js';
import { PcmHasher } from './PcmHasher.js';

/** Options of a `FlacStreamEncoder`. */
export interface FlacStreamEncoderOptions extends FlacEncodeOptions {
  /** 1..8. */
  channels: number;
  /**
   * Samples per channel the stream will hold, when known in advance. Written in the provisional
   * header; required with `seekPointIntervalSeconds` (the SEEKTABLE's size is fixed before the
   * first frame). `finish()` fails if a different number of samples was pushed.
   */
  totalSamples?: number;
}

/** What `finish()` returns. */
export interface FlacStreamEnd {
  /** The last frames (the final, possibly short, block): append them after everything `push` returned. */
  readonly frames: Uint8Array;
  /** The final header, exactly as long as `initialHeader`: overwrite the file's first `header.length` bytes with it. */
  readonly header: Uint8Array;
  readonly streamInfo: StreamInfo;
  /** Total bytes of audio frames (everything `push` and `finish` returned). */
  readonly framesLength: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Encodes a FLAC stream block by block in bounded memory: one block of PCM per channel and one
 * block of output are held at a time, whatever the length of the stream.
 *
 * Usage: write `initialHeader`, then the bytes each `push()` returns, then `finish().frames`; finally
 * overwrite the start of the file with `finish().header` (same length), which carries the total
 * sample count, min/max frame size, MD5 and seek points known only at the end.
 *
 * @example
 * const encoder = new FlacStreamEncoder({ channels: 2, sampleRate: 48000, bitsPerSample: 24 });
 * const file = await open('out.flac', 'w');
 * await file.write(encoder.initialHeader);
 * for (const block of blocks) await file.write(encoder.push(block)); // block: Int32Array[] per channel
 * const end = encoder.finish();
 * await file.write(end.frames);
 * await file.write(end.header, 0, end.header.length, 0);
 * await file.close();
 */
export class FlacStreamEncoder {
  /** Header to write first (STREAMINFO provisional: no MD5, frame sizes or, unless given, total samples). */
  readonly initialHeader: Uint8Array;
  private readonly options: ResolvedOptions;
  private readonly declaredTotal: number | undefined;
  private readonly frames: FrameEncoder;
  private readonly hasher: PcmHasher;
  private readonly writer: BitWriter;
  private readonly pending: Int32Array[];
  private pendingCount = 0;
  private frameNumber = 0;
  private samplesEncoded = 0;
  private framesLength = 0;
  private minFrameSize = Infinity;
  private maxFrameSize = 0;
  private readonly seekFrames: number[];
  private readonly seekPoints: SeekPoint[] = [];
  private finished = false;

  constructor(options: FlacStreamEncoderOptions) {
    this.options = resolveOptions(options, options.channels);
    const { blockSize, channels, seekPointInterval } = this.options;
    const total = options.totalSamples;
    if (total !== undefined && !(Number.isInteger(total) && total >= 0 && total < 2 ** 36)) {
      throw new FlacEncodeError('totalSamples', `totalSamples must be an integer 0..2^36-1, got ${total}`);
    }
    if (seekPointInterval > 0 && total === undefined) {
      throw new FlacEncodeError('totalSamples', 'a SEEKTABLE (seekPointIntervalSeconds) needs totalSamples up front to reserve its size');
    }
    this.declaredTotal = total;
    this.seekFrames = seekPointInterval > 0 ? plannedSeekFrames(total ?? 0, blockSize, seekPointInterval) : [];
    this.frames = new FrameEncoder(this.options, blockSize);
    this.hasher = new PcmHasher(this.options.bitsPerSample, options.md5 ?? jsMd5);
    this.writer = new BitWriter(channels * blockSize * 4);
    this.pending = Array.from({ length: channels }, () => new Int32Array(blockSize));
    this.initialHeader = this.header(total ?? 0, '0'.repeat(32), 0, 0);
  }

  /**
   * Encodes every complete block now available and returns those frames (possibly empty).
   * `channels` holds one array per channel, all the same length (any length, including 0).
   */
  push(channels: readonly Int32Array[]): Uint8Array {
    this.assertOpen();
    const count = checkChannels(channels, this.options.channels);
    const { blockSize } = this.options;
    let offset = 0;
    while (offset < count) {
      if (this.pendingCount === 0 && count - offset >= blockSize) {
        this.encodeBlock(channels, offset, blockSize); // straight from the caller's arrays, no copy
        offset += blockSize;
        continue;
      }
      const take = Math.min(blockSize - this.pendingCount, count - offset);
      for (let c = 0; c < channels.length; c++) this.pending[c].set(channels[c].subarray(offset, offset + take), this.pendingCount);
      this.pendingCount += take;
      offset += take;
      if (this.pendingCount === blockSize) {
        this.encodeBlock(this.pending, 0, blockSize);
        this.pendingCount = 0;
      }
    }
    return this.drain();
  }

  /** Encodes the final partial block and returns it with the final header. The encoder is closed afterwards. */
  finish(): FlacStreamEnd {
    this.assertOpen();
    if (this.pendingCount > 0) this.encodeBlock(this.pending, 0, this.pendingCount);
    this.pendingCount = 0;
    this.finished = true;
    if (this.declaredTotal !== undefined && this.declaredTotal !== this.samplesEncoded) {
      throw new FlacEncodeError('totalSamples', `totalSamples was declared as ${this.declaredTotal} but ${this.samplesEncoded} samples were pushed`);
    }
    const frames = this.drain();
    const md5 = this.hasher.digest();
    const minFrame = this.samplesEncoded === 0 ? 0 : this.minFrameSize;
    const header = this.header(this.samplesEncoded, md5, minFrame, this.maxFrameSize);
    return { frames, header, streamInfo: this.streamInfo(this.samplesEncoded, md5, minFrame, this.maxFrameSize), framesLength: this.framesLength };
  }

  private encodeBlock(channels: readonly Int32Array[], start: number, n: number): void {
    this.hasher.update(channels, start, n, this.samplesEncoded);
    const size = this.frames.encode(this.writer, channels, start, n, this.frameNumber);
    if (this.seekFrames[this.seekPoints.length] === this.frameNumber) {
      this.seekPoints.push({ sampleNumber: this.samplesEncoded, byteOffset: this.framesLength, frameSamples: n });
    }
    this.frameNumber++;
    this.samplesEncoded += n;
    this.framesLength += size;
    if (size < this.minFrameSize) this.minFrameSize = size;
    if (size > this.maxFrameSize) this.maxFrameSize = size;
  }

  private drain(): Uint8Array {
    if (this.writer.pos === 0) return EMPTY;
    const bytes = this.writer.bytes.slice(0, this.writer.pos);
    this.writer.reset();
    return bytes;
  }

  private streamInfo(totalSamples: number, md5: string, minFrameSize: number, maxFrameSize: number): StreamInfo {
    const { blockSize, sampleRate, channels, bitsPerSample } = this.options;
    return { minBlockSize: blockSize, maxBlockSize: blockSize, minFrameSize, maxFrameSize, sampleRate, channels, bitsPerSample, totalSamples, md5 };
  }

  private header(totalSamples: number, md5: string, minFrameSize: number, maxFrameSize: number): Uint8Array {
    return writeHeader({
      streamInfo: this.streamInfo(totalSamples, md5, minFrameSize, maxFrameSize),
      seekPointCount: this.seekFrames.length,
      seekPoints: this.seekPoints,
      padding: this.options.padding,
    });
  }

  private assertOpen(): void {
    if (this.finished) throw new FlacEncodeError('state', 'this FlacStreamEncoder is finished; create a new one for another stream');
  }
}

/** Checks the planar input and returns its length in samples per channel. */
export function checkChannels(channels: readonly Int32Array[], expected: number): number {
  if (channels.length !== expected) {
    throw new FlacEncodeError('channels', `expected ${expected} channel arrays, got ${channels.length}`);
  }
  const count = channels[0]?.length ?? 0;
  channels.forEach((channel, c) => {
    if (!(channel instanceof Int32Array)) throw new FlacEncodeError('channels', `channel ${c} is not an Int32Array`, { channel: c });
    if (channel.length !== count) {
      throw new FlacEncodeError('channels', `channel ${c} has ${channel.length} samples but channel 0 has ${count}; all channels must be the same length`, { channel: c });
    }
  });
  return count;
}

import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Frames } from '../units.js';

const HEADER_BYTES = 44;
/** Samples are buffered and written in blocks of about a second of stereo audio at 48 kHz. */
const BLOCK_BYTES = 384 * 1024;

/**
 * Writes a 32-bit float WAV file (WAVE_FORMAT_IEEE_FLOAT) from planar channels, streaming: the
 * header's sizes are patched in `close()`. Control thread (Node I/O).
 */
export class WavWriter {
  private readonly block = Buffer.alloc(BLOCK_BYTES);
  private used = 0;
  private frames: Frames = 0;
  /** File offset of the next block (positional writes: the header is patched at 0 at the end). */
  private offset = HEADER_BYTES;
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
    readonly sampleRate: number,
    readonly channels: number,
  ) {}

  static async create(path: string, sampleRate: number, channels = 2): Promise<WavWriter> {
    const file = await open(path, 'w');
    await file.write(Buffer.alloc(HEADER_BYTES), 0, HEADER_BYTES, 0);
    return new WavWriter(file, path, sampleRate, channels);
  }

  /** Appends `frames` frames of `channelData` (copied). */
  write(channelData: readonly Float32Array[], frames: Frames): void {
    const bytesPerFrame = this.channels * 4;
    for (let i = 0; i < frames; i++) {
      if (this.used + bytesPerFrame > BLOCK_BYTES) this.flush();
      for (let c = 0; c < this.channels; c++) {
        this.block.writeFloatLE(channelData[Math.min(c, channelData.length - 1)][i], this.used);
        this.used += 4;
      }
    }
    this.frames += frames;
  }

  /** Appends `frames` frames of interleaved samples with this writer's channel count (copied). */
  writeInterleaved(samples: Float32Array, frames: Frames): void {
    const count = frames * this.channels;
    for (let i = 0; i < count; i++) {
      if (this.used + 4 > BLOCK_BYTES) this.flush();
      this.block.writeFloatLE(samples[i], this.used);
      this.used += 4;
    }
    this.frames += frames;
  }

  /** Frames written so far. */
  get framesWritten(): Frames {
    return this.frames;
  }

  async close(): Promise<void> {
    this.flush();
    await this.pending;
    const dataBytes = this.frames * this.channels * 4;
    const header = Buffer.alloc(HEADER_BYTES);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + dataBytes, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
    header.writeUInt16LE(this.channels, 22);
    header.writeUInt32LE(this.sampleRate, 24);
    header.writeUInt32LE(this.sampleRate * this.channels * 4, 28);
    header.writeUInt16LE(this.channels * 4, 32);
    header.writeUInt16LE(32, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(dataBytes, 40);
    await this.file.write(header, 0, HEADER_BYTES, 0);
    await this.file.close();
  }

  private flush(): void {
    if (this.used === 0) return;
    const bytes = Buffer.from(this.block.subarray(0, this.used));
    const offset = this.offset;
    this.offset += bytes.length;
    this.used = 0;
    this.pending = this.pending.then(() => this.file.write(bytes, 0, bytes.length, offset));
  }
}

/** Reads a float32 WAV written by {@link WavWriter} back into planar channels (for tests and tools). */
export function parseFloatWav(bytes: Uint8Array): { sampleRate: number; channelData: Float32Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let at = 12;
  let channels = 0;
  let sampleRate = 0;
  while (at + 8 <= bytes.length) {
    const id = text(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (view.getUint16(at + 8, true) !== 3 || view.getUint16(at + 22, true) !== 32) throw new Error('not a 32-bit float WAV');
      channels = view.getUint16(at + 10, true);
      sampleRate = view.getUint32(at + 12, true);
    } else if (id === 'data') {
      const frames = size / (channels * 4);
      const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) channelData[c][i] = view.getFloat32(at + 8 + (i * channels + c) * 4, true);
      return { sampleRate, channelData };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

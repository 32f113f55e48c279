// Test fixture: synthetic "stems" described by a small JSON file, decoded by a fake decoder whose
// every sample follows a formula, so tests know the exact expected PCM without any codec. Failure
// and crash behaviour is driven by an attempt counter kept on disk, so it works across threads.
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { DecoderFactory, DecoderOptions, PcmBlock, StemDecoder } from '../ports/StemDecoder.js';

export interface SyntheticStemSpec {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  readonly totalFrames: number;
  /** Each decode blocks its thread this long, as a real decode would (default 0). */
  readonly decodeDelayMs?: number;
  /** The first N decode attempts kill the thread (a worker exits; inline, they throw). */
  readonly crashFirst?: number;
  /** After the crashes, the next N decode attempts throw. */
  readonly failFirst?: number;
}

/** Counts decoders opened and closed on this thread. */
export const syntheticStats = { opens: 0, closes: 0, decodes: 0 };

export async function writeSyntheticStem(dir: string, name: string, spec: SyntheticStemSpec): Promise<string> {
  const file = path.join(dir, `${name}.synthetic.json`);
  await writeFile(file, JSON.stringify(spec));
  return file;
}

/** Decode attempts made so far for the stem at `file` (all threads). */
export function attemptsMade(file: string): number {
  return existsSync(`${file}.attempts`) ? statSync(`${file}.attempts`).size : 0;
}

/** Decoders opened for the stem at `file` inside worker threads (all workers). */
export function workerOpens(file: string): number {
  return existsSync(`${file}.worker-opens`) ? statSync(`${file}.worker-opens`).size : 0;
}

function seedOf(file: string): number {
  return [...path.basename(file)].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
}

function sampleAt(seed: number, bitDepth: number, channel: number, frame: number): number {
  const mixed = (Math.imul(frame + 1, 2654435761) + Math.imul(channel + 1, 40503) + seed) >>> 0;
  const half = 2 ** (bitDepth - 1);
  return ((mixed % (2 * half)) - half) / half;
}

/** The exact sample a synthetic stem holds: an integer at `bitDepth` scaled by 2^(bitDepth-1), as Trax converts. */
export function syntheticSample(file: string, bitDepth: number, channel: number, frame: number): number {
  return sampleAt(seedOf(file), bitDepth, channel, frame);
}

/** The PCM a synthetic stem must deliver for `[startFrame, startFrame + frameCount)`. */
export function expectedSyntheticPcm(file: string, spec: SyntheticStemSpec, startFrame: number, frameCount: number): Float32Array[] {
  const seed = seedOf(file);
  return Array.from({ length: spec.channels }, (_, channel) => {
    const data = new Float32Array(frameCount);
    for (let i = 0; i < frameCount; i++) data[i] = sampleAt(seed, spec.bitDepth, channel, startFrame + i);
    return data;
  });
}

function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

class SyntheticDecoder implements StemDecoder {
  readonly outputSampleRate: number;
  readonly chunkFrames: number;
  readonly md5: string;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly spec: SyntheticStemSpec,
    options: DecoderOptions,
  ) {
    this.outputSampleRate = spec.sampleRate;
    this.chunkFrames = Math.round((options.chunkSeconds ?? 5) * spec.sampleRate);
    this.md5 = readFileSync(file).length.toString(16).padStart(32, '0');
  }

  get sampleRate(): number {
    return this.spec.sampleRate;
  }
  get channels(): number {
    return this.spec.channels;
  }
  get bitDepth(): number {
    return this.spec.bitDepth;
  }
  get totalFrames(): number {
    return this.spec.totalFrames;
  }

  totalChunks(): number {
    return Math.ceil(this.spec.totalFrames / this.chunkFrames);
  }

  decodeChunk(index: number): Promise<PcmBlock> {
    const start = index * this.chunkFrames;
    return this.decodeRange(start, Math.min(this.chunkFrames, this.spec.totalFrames - start));
  }

  async decodeRange(startFrame: number, frameCount: number): Promise<PcmBlock> {
    if (this.closed) throw new Error(`${this.file}: decode after close`);
    const attempt = attemptsMade(this.file);
    appendFileSync(`${this.file}.attempts`, 'x');
    if (attempt < (this.spec.crashFirst ?? 0)) {
      if (!isMainThread) process.exit(70);
      throw new Error(`${this.file}: synthetic crash #${attempt + 1}`);
    }
    if (attempt < (this.spec.crashFirst ?? 0) + (this.spec.failFirst ?? 0)) throw new Error(`${this.file}: synthetic failure #${attempt + 1}`);
    blockFor(this.spec.decodeDelayMs ?? 0);
    syntheticStats.decodes += 1;
    const count = Math.min(frameCount, this.spec.totalFrames - startFrame);
    return { channelData: expectedSyntheticPcm(this.file, this.spec, startFrame, count), startFrame, frameCount: count, sampleRate: this.spec.sampleRate, errors: [] };
  }

  close(): Promise<void> {
    if (!this.closed) syntheticStats.closes += 1;
    this.closed = true;
    return Promise.resolve();
  }
}

/** A {@link DecoderFactory} for `*.synthetic.json` stems. */
export const syntheticDecoderFactory: DecoderFactory = async (file, options) => {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as SyntheticStemSpec;
  syntheticStats.opens += 1;
  if (!isMainThread) appendFileSync(`${file}.worker-opens`, 'x');
  return new SyntheticDecoder(file, spec, options);
};

import { stemKey } from '../types.js';
import type { StemSource } from '../types.js';
import type { StemHeader, DecodeTask } from '../ports/DecodePool.js';
import type { DecoderFactory, DecoderOptions, PcmBlock, StemDecoder } from '../ports/StemDecoder.js';

interface OpenDecoder {
  readonly path: string;
  readonly song: string;
  readonly decoder: Promise<StemDecoder>;
}

/**
 * The decoders one thread keeps open, one per stem, so a stem's file handle and decoder state are
 * reused for every chunk instead of re-created per request. Used by the inline pool and by each
 * decode worker. Not thread-safe: one registry per thread.
 */
export class DecoderRegistry {
  private readonly open = new Map<string, OpenDecoder>();

  constructor(
    private readonly factory: DecoderFactory,
    private readonly options: DecoderOptions,
  ) {}

  /** The stem's decoder, opened on first use (or again if the stem now points at another file). */
  async get(stem: StemSource): Promise<StemDecoder> {
    const key = stemKey(stem);
    const current = this.open.get(key);
    if (current && current.path === stem.path) return current.decoder;
    if (current) {
      this.open.delete(key);
      await closeQuietly(current.decoder);
    }
    const decoder = this.factory(stem.path, this.options);
    this.open.set(key, { path: stem.path, song: stem.song, decoder });
    // A failed open is not kept: the next attempt (a retry) opens the file afresh.
    decoder.catch(() => {
      if (this.open.get(key)?.decoder === decoder) this.open.delete(key);
    });
    return decoder;
  }

  /** Close every decoder of `song`. */
  async releaseSong(song: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, entry] of this.open) {
      if (entry.song !== song) continue;
      this.open.delete(key);
      closing.push(closeQuietly(entry.decoder));
    }
    await Promise.all(closing);
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((entry) => closeQuietly(entry.decoder)));
  }

  /** Stems with an open (or opening) decoder. */
  get size(): number {
    return this.open.size;
  }
}

/** Decode a task's span with the call that fits it (whole chunks via `decodeChunk`). */
export function decodeSpan(decoder: StemDecoder, task: DecodeTask): Promise<PcmBlock> {
  return task.wholeChunk ? decoder.decodeChunk(task.chunkIndex) : decoder.decodeRange(task.startFrame, task.frameCount);
}

/** The header fields of an open decoder. */
export function headerOf(decoder: StemDecoder): StemHeader {
  return {
    sampleRate: decoder.sampleRate,
    outputSampleRate: decoder.outputSampleRate,
    channels: decoder.channels,
    bitDepth: decoder.bitDepth,
    totalFrames: decoder.totalFrames,
    chunkFrames: decoder.chunkFrames,
    totalChunks: decoder.totalChunks(),
    md5: decoder.md5,
  };
}

async function closeQuietly(decoder: Promise<StemDecoder>): Promise<void> {
  try {
    await (await decoder).close();
  } catch {
    // A decoder that failed to open, or fails to close, has nothing left to release.
  }
}

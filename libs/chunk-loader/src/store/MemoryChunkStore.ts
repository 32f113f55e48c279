import type { ChunkStore } from '../ports/ChunkStore.js';
import type { PcmBlock } from '../ports/StemDecoder.js';
import { stemKey } from '../types.js';
import type { StemInfo } from '../types.js';
import { copyPcm } from '../pcm.js';

/**
 * A {@link ChunkStore} in memory: for tests, and for sessions with the disk cache switched off
 * but RAM to spare. Keeps its own copies, so callers may transfer or modify what they pass in or
 * get back. Keyed by stem, file path and MD5, so a changed file never serves old audio.
 *
 * @example
 * ```ts
 * const store = new MemoryChunkStore();
 * const loader = await ChunkLoader.start({ cache: store, workers: 0 });
 * ```
 */
export class MemoryChunkStore implements ChunkStore {
  private readonly chunks = new Map<string, PcmBlock>();
  /** Calls so far, for assertions and diagnostics. */
  readonly calls = { reads: 0, hits: 0, writes: 0 };

  read(stem: StemInfo, chunkIndex: number): Promise<PcmBlock | undefined> {
    this.calls.reads += 1;
    const found = this.chunks.get(this.key(stem, chunkIndex));
    if (found) this.calls.hits += 1;
    return Promise.resolve(found && copyPcm(found));
  }

  /** A slice of one stored chunk (a copy), or undefined when that chunk is not stored or the range leaves it. */
  readRange(stem: StemInfo, startFrame: number, frameCount: number): Promise<PcmBlock | undefined> {
    this.calls.reads += 1;
    const chunkIndex = Math.floor(startFrame / stem.chunkFrames);
    const chunk = this.chunks.get(this.key(stem, chunkIndex));
    if (!chunk || startFrame - chunk.startFrame + frameCount > chunk.frameCount) return Promise.resolve(undefined);
    const offset = startFrame - chunk.startFrame;
    this.calls.hits += 1;
    return Promise.resolve({
      channelData: chunk.channelData.map((channel) => channel.slice(offset, offset + frameCount)),
      startFrame,
      frameCount,
      sampleRate: chunk.sampleRate,
      errors: [],
    });
  }

  write(stem: StemInfo, chunkIndex: number, pcm: PcmBlock): Promise<void> {
    this.calls.writes += 1;
    this.chunks.set(this.key(stem, chunkIndex), copyPcm(pcm));
    return Promise.resolve();
  }

  has(stem: StemInfo, chunkIndex: number): boolean {
    return this.chunks.has(this.key(stem, chunkIndex));
  }

  get size(): number {
    return this.chunks.size;
  }

  private key(stem: StemInfo, chunkIndex: number): string {
    return `${stemKey(stem)}|${stem.path}|${stem.md5}|${chunkIndex}`;
  }
}

import type { StemInfo } from '../types.js';
import type { PcmBlock } from './StemDecoder.js';

/**
 * Port: the persistent chunk cache as the loader sees it. Whole chunks only, addressed by stem and
 * chunk index. `streamingCacheStore()` adapts `@trax/streaming-cache`; tests use `MemoryChunkStore`.
 * Called on the loader's thread.
 */
export interface ChunkStore {
  /**
   * Chunk `chunkIndex` of the stem, exactly as decoded, or `undefined` on a miss. A damaged entry
   * is a miss (the store repairs itself); a rejection is treated as a miss and logged.
   */
  read(stem: StemInfo, chunkIndex: number): Promise<PcmBlock | undefined>;
  /**
   * Optional: frames `[startFrame, startFrame + frameCount)` from inside one cached chunk, or
   * `undefined` on a miss. When present, slices of the cached range (first audio, seek slices) are
   * looked up here before decoding — worth it when the store keeps an instant-start slice that
   * needs no decoding (`@trax/streaming-cache`'s `readRange`).
   */
  readRange?(stem: StemInfo, startFrame: number, frameCount: number): Promise<PcmBlock | undefined>;
  /** Keep the chunk for next time. May be a no-op (disabled cache, disk full). */
  write(stem: StemInfo, chunkIndex: number, pcm: PcmBlock): Promise<void>;
}

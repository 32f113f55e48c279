import type { Frames } from '../units.js';
import type { StemSource } from './ChunkSource.js';

/** A stem decoded whole, at the engine's output rate. */
export interface WholeStem {
  readonly channelData: Float32Array[];
  readonly sampleRate: number;
  readonly totalFrames: Frames;
}

export interface WholeDecodeProgress {
  readonly decodedFrames: Frames;
  readonly totalFrames: Frames;
}

/**
 * Port: the legacy path ("decode everything first", plan "Feature Flag"): decodes a stem whole.
 * Used when streaming is disabled, or as the fallback when streaming a song fails. Called on the
 * control thread; must stop early (rejecting) when `signal` aborts.
 */
export interface WholeStemDecoder {
  decode(
    stem: StemSource,
    options: { readonly signal: AbortSignal; readonly sampleRate: number; readonly onProgress?: (progress: WholeDecodeProgress) => void },
  ): Promise<WholeStem>;
}

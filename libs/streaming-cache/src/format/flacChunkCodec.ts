import { ChunkDecoder, memorySource, WasmFrameDecoder } from '@trax/chunk-decoder';
import { encodeFlac } from '@trax/flac-encoder';
import type { ChunkCodec } from '../ports/ChunkCodec.js';

/**
 * Frames per FLAC frame in chunk files: 4096 (85 ms at 48 kHz) is what `flac -5` uses; a 5 s chunk
 * is then 59 frames, few enough that per-frame overhead in the decoder stays small.
 */
const BLOCK_SIZE = 4096;

/**
 * The thread's shared WebAssembly FLAC decoder, held for good once the cache decodes its first
 * chunk: a ChunkDecoder left to acquire and release it per chunk would free it after every read,
 * and creating one costs ~11 ms (chunk-decoder's measurement) — longer than decoding a 5 s chunk.
 */
let frameDecoder: WasmFrameDecoder | undefined;

/**
 * The default {@link ChunkCodec}: every chunk is a complete FLAC file (STREAMINFO with MD5 and total
 * samples, no seek table: a chunk is always read whole) that `flac -t` accepts.
 */
export const flacChunkCodec: ChunkCodec = {
  encode(channels, format) {
    return encodeFlac(channels, { sampleRate: format.sampleRate, bitsPerSample: format.bitDepth, blockSize: BLOCK_SIZE });
  },
  async decode(bytes, name, range) {
    frameDecoder ??= WasmFrameDecoder.acquireShared();
    const decoder = await ChunkDecoder.open(memorySource(bytes, name), { frameDecoder });
    try {
      // A range past the end of a damaged (short) file is the decoder's RangeError: a decode failure.
      const pcm = await decoder.decodeRange(range?.startFrame ?? 0, range?.frameCount ?? decoder.totalFrames);
      return {
        channelData: pcm.channelData,
        frameCount: pcm.frameCount,
        sampleRate: decoder.sampleRate,
        bitDepth: decoder.bitDepth,
        problems: pcm.errors.map((issue) => `${issue.kind} at frame ${issue.frame}: ${issue.message}`),
      };
    } finally {
      await decoder.close();
    }
  },
};

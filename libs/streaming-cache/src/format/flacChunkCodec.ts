import { ChunkDecoder, memorySource, WasmFrameDecoder } from '@trax/chunk-decoder';
import { encodeFlac, type Md5Factory } from '@trax/flac-encoder';
import type { ChunkCodec, DecodedChunkFile, FrameRange } from '../ports/ChunkCodec.js';

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
 * The FLAC {@link ChunkCodec}: every chunk is a complete FLAC file (STREAMINFO with MD5 and total
 * samples, no seek table: a chunk is always read whole) that `flac -t` accepts. Runs anywhere (its
 * MD5 is JavaScript); `StreamingCache` in Node uses the same codec with `node:crypto`'s MD5.
 */
export const flacChunkCodec: ChunkCodec = createFlacChunkCodec();

/** {@link flacChunkCodec} with the STREAMINFO MD5 computed by `md5` (default: flac-encoder's JS MD5). */
export function createFlacChunkCodec(md5?: Md5Factory): ChunkCodec {
  return { encode: (channels, format) => encodeFlac(channels, { sampleRate: format.sampleRate, bitsPerSample: format.bitDepth, blockSize: BLOCK_SIZE, md5 }), decode };
}

/** Decodes a chunk file whole, or only the frames of `range` ({@link ChunkCodec.decode}). */
async function decode(bytes: Uint8Array, name: string, range?: FrameRange): Promise<DecodedChunkFile> {
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
}

import { ChunkDecoder, type ChunkDecoderOptions } from './chunkDecoder.js';
import { describeFlac, type FlacDescription } from './describeFlac.js';
import { openFileSource } from './fileSource.js';

/**
 * `ChunkDecoder.open` over a file by path ({@link openFileSource}): the decoder owns the file and
 * closes it with `close()`, or at once when the file is refused.
 *
 * @example
 * ```ts
 * const decoder = await openFileDecoder('song/bass.flac', { outputSampleRate: 48000 });
 * const first = await decoder.decodeRange(0, 24000);   // first 0.5 s
 * await decoder.close();
 * ```
 */
export async function openFileDecoder(path: string, options?: ChunkDecoderOptions): Promise<ChunkDecoder> {
  return ChunkDecoder.open(await openFileSource(path), options);
}

/**
 * `describeFlac` of a file by path: opened, described from its headers, closed.
 *
 * @example
 * ```ts
 * const info = await describeFlacFile('song/bass.flac');
 * ```
 */
export async function describeFlacFile(path: string): Promise<FlacDescription> {
  const source = await openFileSource(path);
  try {
    return await describeFlac(source);
  } finally {
    await source.close();
  }
}

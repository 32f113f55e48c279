import { ChunkDecoder, isHttpUrl, openHttpSource } from '@trax/chunk-decoder';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import type { DecoderFactory } from '../ports/StemDecoder.js';

/** The production {@link DecoderFactory} in Node: `@trax/chunk-decoder` over a file path, or an `http(s)://` URL read by range. */
export const chunkDecoderFactory: DecoderFactory = async (path, options) =>
  isHttpUrl(path) ? ChunkDecoder.open(await openHttpSource(path), options) : openFileDecoder(path, options);

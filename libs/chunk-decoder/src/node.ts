/**
 * @packageDocumentation FLAC files on a Node file system: a `ByteSource` over a file handle,
 * and the decoder and description of a file by path. Everything else is in `@trax/chunk-decoder`.
 */
export { openFileSource } from './fileSource.js';
export { openFileDecoder, describeFlacFile } from './fileDecoder.js';

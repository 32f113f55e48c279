/**
 * @packageDocumentation Frame-indexed, bit-exact random access to any chunk of a FLAC stem, from any
 * `ByteSource`. Runs anywhere, a browser page and its workers included; files by path are in
 * `@trax/chunk-decoder/node`.
 */
export { ChunkDecoder } from './chunkDecoder.js';
export type { ChunkDecoderOptions } from './chunkDecoder.js';
export { memorySource } from './byteSource.js';
export type { ByteSource } from './byteSource.js';
export { openHttpSource, isHttpUrl } from './http/httpSource.js';
export type { HttpByteSource, HttpSourceOptions } from './http/httpSource.js';
export { HttpSourceError, HttpStatusError, HttpRangeUnsupportedError, HttpFileChangedError, HttpConnectionError } from './http/httpErrors.js';
export type { HttpChangedField } from './http/httpErrors.js';
export type { DecodedPcm, DecodeIssue, DecodeIssueKind } from './decodedPcm.js';
export { FlacFormatError, UnsupportedFlacError } from './errors.js';
export { describeFlac } from './describeFlac.js';
export type { FlacDescription } from './describeFlac.js';
export type { ResampleQuality } from './resamplePlan.js';
export { WasmFrameDecoder } from './wasmFrameDecoder.js';
export type { Frames, Seconds } from './units.js';

/** @packageDocumentation Small, fast FLAC encoder (fixed predictors, stereo decorrelation, Rice coding). */
export { encodeFlac } from './encodeFlac.js';
export { FlacStreamEncoder } from './FlacStreamEncoder.js';
export { FlacEncodeError } from './FlacEncodeError.js';
export { STREAMINFO_OFFSET } from './metadata.js';
export { DEFAULT_BLOCK_SIZE } from './options.js';
export type { FlacEncodeOptions } from './options.js';
export type { FlacStreamEncoderOptions, FlacStreamEnd } from './FlacStreamEncoder.js';
export type { StreamInfo } from './metadata.js';

/** @packageDocumentation Small, fast FLAC encoder (fixed predictors, stereo decorrelation, Rice coding). */
export { encodeFlac } from './encodeFlac.js';
export { FlacStreamEncoder } from './FlacStreamEncoder.js';
export { FlacEncodeError } from './FlacEncodeError.js';
export type { FlacEncodeOptions } from './options.js';
export type { Md5, Md5Factory } from './md5.js';
export type { FlacStreamEncoderOptions, FlacStreamEnd } from './FlacStreamEncoder.js';
export type { StreamInfo } from './metadata.js';
